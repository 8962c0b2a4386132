"""Writes of the inquiries app about buyers: a logged-in user registers its organisation, a visitor
without an account signs up (login and organisation in one step), an official verifies a buyer."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from inquiries.models import BuyerProfile
from inquiries.services import ORGANISATION_MAX, _raise_if, _text
from places.models import Province
from registry import access
from registry.validators import clean_tax_code
from scans.services import RATE_LIMITED


def _buyer_clean(
    errors: dict, *, organisation: str, kind: str, tax_code: str, phone: str, email: str, province
) -> dict:
    clean = {
        "organisation": _text(
            errors, organisation, field="organisation", limit=ORGANISATION_MAX, required=True
        ),
        "phone": _text(errors, phone, field="phone", limit=20, required=True),
        "kind": kind,
        "province": province,
    }
    if kind not in BuyerProfile.Kind.values:
        errors.setdefault("kind", []).append(_("Choose what kind of buyer you are."))
    try:
        clean["tax_code"] = clean_tax_code(tax_code)
    except ValidationError as exc:
        errors.setdefault("tax_code", []).extend(exc.message_dict["tax_code"])
    else:
        if BuyerProfile.objects.filter(tax_code=clean["tax_code"]).exists():
            errors.setdefault("tax_code", []).append(
                _("A buyer with tax code %(code)s is already registered; ask its account holder to add you.")
                % {"code": clean["tax_code"]}
            )
    clean["email"] = (email or "").strip()
    try:
        validate_email(clean["email"])
    except ValidationError:
        errors.setdefault("email", []).append(_("Enter a valid email address."))
    if not isinstance(province, Province):
        errors.setdefault("province", []).append(_("Choose a province."))
    return clean


def _buyer_create(actor, clean: dict, *, signup_visitor: str = "") -> BuyerProfile:
    try:
        with transaction.atomic():
            buyer = BuyerProfile.objects.create(user=actor, signup_visitor=signup_visitor, **clean)
            audit_record(actor=actor, action="buyer.register", obj=buyer, after=snapshot(buyer))
    except IntegrityError as exc:  # the same account or tax code registered at the same moment
        raise ValidationError(_("This buyer is already registered.")) from exc
    return buyer


def buyer_register(
    *,
    actor,
    organisation: str,
    kind: str,
    tax_code: str,
    phone: str,
    email: str,
    province: Province | None,
) -> BuyerProfile:
    """A logged-in user registers the organisation it buys for; an official verifies it later."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Log in to register as a buyer."))
    if BuyerProfile.objects.filter(user=actor).exists():
        raise ValidationError(_("This account is already registered as a buyer."))
    errors: dict[str, list[str]] = {}
    clean = _buyer_clean(
        errors,
        organisation=organisation,
        kind=kind,
        tax_code=tax_code,
        phone=phone,
        email=email,
        province=province,
    )
    _raise_if(errors)
    return _buyer_create(actor, clean)


def buyer_sign_up(
    *,
    request,
    username: str,
    password: str,
    password_again: str,
    organisation: str,
    kind: str,
    tax_code: str,
    phone: str,
    email: str,
    province: Province | None,
) -> BuyerProfile:
    """A buyer without an account opens one and registers its organisation in one step (issue 8: "a
    buyer registers"). Refused after OCOP_BUYER_SIGNUPS_PER_HOUR sign-ups from the same visitor in an
    hour (scans.privacy's keyed hash of address and browser: no raw address is kept). Every field is
    checked before anything is written, and every problem is said at once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    from registry.services_people import user_create
    from scans import privacy

    keys = privacy.visitor_keys_recent(request)
    recent = BuyerProfile.objects.filter(
        signup_visitor__in=keys, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if keys and recent >= settings.OCOP_BUYER_SIGNUPS_PER_HOUR:
        raise ValidationError(
            _("Several accounts were opened from this device in the last hour; please try again later."),
            code=RATE_LIMITED,
        )
    errors: dict[str, list[str]] = {}
    user_model = get_user_model()
    username = (username or "").strip()
    try:
        user_model.username_validator(username)
        if not username:
            raise ValidationError(_("Choose a username."))
    except ValidationError as exc:
        errors["username"] = exc.messages
    else:
        if user_model.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("This username is taken.")]
    if password != password_again:
        errors["password_again"] = [_("The two passwords differ.")]
    try:
        validate_password(password, user_model(username=username, email=email))
    except ValidationError as exc:
        errors["password"] = exc.messages
    clean = _buyer_clean(
        errors,
        organisation=organisation,
        kind=kind,
        tax_code=tax_code,
        phone=phone,
        email=email,
        province=province,
    )
    _raise_if(errors)
    with transaction.atomic():
        user = user_create(actor=None, username=username, password=password, email=clean["email"])
        return _buyer_create(user, clean, signup_visitor=keys[0] if keys else "")


def buyer_verify(*, actor, buyer: BuyerProfile) -> BuyerProfile:
    """An official of the buyer's province (or a national one) confirms the organisation is real
    (`actor` None: the platform itself, e.g. the demo loader)."""
    access.require(access.is_province_official(actor, buyer.province_id))
    with transaction.atomic():
        locked = BuyerProfile.objects.select_for_update().get(pk=buyer.pk)
        if locked.verified_at is not None:
            raise ValidationError(_("This buyer is already verified."))
        locked.verified_at = timezone.now()
        locked.verified_by = actor
        locked.save(update_fields=["verified_at", "verified_by"])
        audit_record(
            actor=actor,
            action="buyer.verify",
            obj=locked,
            before={"verified_at": None},
            after={"verified_at": locked.verified_at, "verified_by": getattr(actor, "pk", None)},
        )
    return locked
