"""Certificates issued before the platform, imported from the provinces' records (Excel)."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from certificates.models import Certificate, CertificateEvent
from certificates.services import (
    certifiable_stars,
    certificate_event_add,
    months_after,
    product_status_follow,
    stars_text,
    verification_code_new,
)
from evaluation.models import CriteriaRelease
from ocop_hub.text import plain_text
from registry import access
from registry.models import Product
from traceability.changes import scan_pages_changed

IMPORT_STATUSES = (Certificate.Status.VALID, Certificate.Status.EXPIRED, Certificate.Status.SUPERSEDED)


def replaces_imported(current: Certificate, decision_date: date) -> bool:
    """A later certificate from the province's records renews an imported one (a re-evaluation
    decided before the platform); a certificate issued on the platform is replaced only by the
    platform's own re-evaluation."""
    return current.imported and current.decision_date < decision_date


def certificate_import_clean(
    *,
    actor,
    product: Product,
    stars,
    score,
    number: str,
    decision_no: str,
    decision_date,
    valid_until,
    release: CriteriaRelease,
    issuer_vi: str,
    status: str = Certificate.Status.VALID,
    instance: Certificate | None = None,
    potential_stars=None,
) -> dict:
    """The checks of `certificate_import`, without writing: the importer's preview runs them per row."""
    if not access.is_province_official(actor, product.province_id):
        raise PermissionDenied(
            _("Only an official of %(province)s or a national official can import its certificates.")
            % {"province": product.province.name}
        )
    errors: dict[str, list[str]] = {}

    def text(value, field: str, required_message: str) -> str:
        try:
            clean = plain_text(str(value or ""), field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            return ""
        if not clean:
            errors[field] = [required_message]
        return clean

    number = text(number, "number", _("Give the certificate number."))
    decision_no = text(decision_no, "decision_no", _("Give the number of the recognition decision."))
    issuer_vi = text(issuer_vi, "issuer_vi", _("Give who issued the certificate."))
    certifiable = certifiable_stars(release)
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if stars not in certifiable:
        errors["stars"] = [
            _("An OCOP certificate is for %(certifiable)s stars, not %(stars)s.")
            % {"certifiable": stars_text(certifiable), "stars": stars}
        ]
    if potential_stars in (None, ""):
        potential_stars = None
    else:
        try:
            potential_stars = int(potential_stars)
        except (TypeError, ValueError):
            potential_stars = 0
        if not stars < potential_stars <= 5:
            errors["potential_stars"] = [
                _("A potential star is more than the certified %(stars)s stars and at most 5.")
                % {"stars": stars}
            ]
    if score not in (None, ""):
        try:
            score = Decimal(str(score))
            if not score.is_finite() or not 0 <= score <= 100:
                raise InvalidOperation
            score = score.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["score"] = [_("Enter a score between 0 and 100.")]
    else:
        score = None
    if not isinstance(decision_date, date):
        errors["decision_date"] = [_("Give the date of the recognition decision.")]
    elif decision_date > timezone.localdate():
        errors["decision_date"] = [_("The decision date cannot be in the future.")]
    elif valid_until is None:
        valid_until = months_after(decision_date, release.certificate_validity_months)
    elif valid_until <= decision_date:
        errors["valid_until"] = [_("The end of validity must be after the decision date.")]
    if status not in IMPORT_STATUSES:
        errors["status"] = [_("An imported certificate is valid, expired or replaced by a later one.")]
    clash = Certificate.objects.filter(number=number)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if number and clash.exists():
        errors["number"] = [_("The certificate number %(number)s is already used.") % {"number": number}]
    if errors:
        raise ValidationError(errors)
    return {
        "number": number,
        "stars": stars,
        "score": score,
        "decision_no": decision_no,
        "decision_date": decision_date,
        "valid_until": valid_until,
        "release": release,
        "issuer_vi": issuer_vi,
        "status": status,
        "potential_stars": potential_stars,
    }


def certificate_import(
    *,
    actor,
    product: Product,
    stars: int,
    score,
    number: str,
    decision_no: str,
    decision_date: date,
    valid_until: date | None,
    release: CriteriaRelease,
    issuer_vi: str,
    status: str = Certificate.Status.VALID,
    potential_stars: int | None = None,
) -> Certificate:
    """A certificate issued before the platform (provinces keep them in Excel), with its own number;
    `potential_stars`: the higher star its council found the product worth, if the record says."""
    clean = certificate_import_clean(
        actor=actor,
        product=product,
        stars=stars,
        score=score,
        number=number,
        decision_no=decision_no,
        decision_date=decision_date,
        valid_until=valid_until,
        release=release,
        issuer_vi=issuer_vi,
        status=status,
        potential_stars=potential_stars,
    )
    number, stars, score = clean["number"], clean["stars"], clean["score"]
    decision_no, decision_date, valid_until = (
        clean["decision_no"],
        clean["decision_date"],
        clean["valid_until"],
    )
    issuer_vi = clean["issuer_vi"]
    with transaction.atomic():
        locked = Product.objects.select_for_update().select_related("entity").get(pk=product.pk)
        if status == Certificate.Status.VALID:
            current = (
                Certificate.objects.select_for_update()
                .filter(product=locked, status=Certificate.Status.VALID)
                .first()
            )
            if current is not None and replaces_imported(current, decision_date):
                before = snapshot(current)
                current.status = Certificate.Status.SUPERSEDED
                current.save(update_fields=["status"])
                audit_record(
                    actor=actor,
                    action="certificate.supersede",
                    obj=current,
                    before=before,
                    after=snapshot(current),
                    reason=number,
                )
            elif current is not None:
                raise ValidationError(
                    {
                        "status": _(
                            "This product already has a valid certificate (%(number)s); import the "
                            "earlier one as expired or replaced."
                        )
                        % {"number": current.number}
                    }
                )
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=number,
                    verification_code=verification_code_new(),
                    product=locked,
                    entity=locked.entity,
                    release=release,
                    stars=stars,
                    potential_stars=clean["potential_stars"],
                    score=score,
                    decision_no=decision_no,
                    decision_date=decision_date,
                    issuer_vi=issuer_vi,
                    valid_from=decision_date,
                    valid_until=valid_until,
                    status=status,
                    imported=True,
                )
        except IntegrityError as exc:  # the same number imported at the same moment
            raise ValidationError(
                {"number": _("The certificate number %(number)s is already used.") % {"number": number}}
            ) from exc
        certificate_event_add(
            certificate, kind=CertificateEvent.Kind.ISSUE, at=decision_date, actor=actor, imported=True
        )
        if status == Certificate.Status.EXPIRED:
            certificate_event_add(
                certificate,
                kind=CertificateEvent.Kind.LAPSE,
                at=valid_until + timedelta(days=1),
                actor=actor,
                imported=True,
            )
        audit_record(actor=actor, action="certificate.import", obj=certificate, after=snapshot(certificate))
        if status == Certificate.Status.VALID:
            product_status_follow(locked, status=Product.Status.CERTIFIED, reason=number)
        elif locked.status in (Product.Status.DRAFT, Product.Status.REGISTERED) and not (
            Certificate.objects.filter(product=locked, status=Certificate.Status.VALID).exists()
        ):
            product_status_follow(locked, status=Product.Status.EXPIRED, reason=number)
    scan_pages_changed()  # the scan page shows this product's certificate and texts
    return certificate


CORRECTABLE = [
    "stars",
    "potential_stars",
    "score",
    "decision_no",
    "decision_date",
    "valid_until",
    "release",
    "issuer_vi",
]


def certificate_import_correct(
    *, actor, certificate: Certificate, reason: str = "", **changes
) -> Certificate:
    """Correct an imported certificate from a corrected file (same number). Certificates issued on
    the platform are decisions of its councils: they are never changed by an import."""
    if not certificate.imported:
        raise ValidationError(
            {
                "number": _("Certificate %(number)s was issued on the platform; an import cannot change it.")
                % {"number": certificate.number}
            }
        )
    current = {name: getattr(certificate, name) for name in CORRECTABLE}
    clean = certificate_import_clean(
        actor=actor,
        product=certificate.product,
        number=certificate.number,
        instance=certificate,
        **{**current, **{k: v for k, v in changes.items() if k in CORRECTABLE}},
    )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        before = snapshot(locked)
        for name in CORRECTABLE:
            setattr(locked, name, clean[name])
        locked.valid_from = locked.decision_date
        if locked.status in (Certificate.Status.VALID, Certificate.Status.EXPIRED):
            locked.status = (
                Certificate.Status.VALID
                if locked.valid_until >= timezone.localdate()
                else Certificate.Status.EXPIRED
            )
        after = snapshot(locked)
        if before != after:
            locked.save()
            audit_record(
                actor=actor,
                action="certificate.import_correct",
                obj=locked,
                before=before,
                after=after,
                reason=reason,
            )
    scan_pages_changed()  # the scan page shows this product's certificate and texts
    return locked
