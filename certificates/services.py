"""Writes that bring a certificate into being: its number and its issue from a recognised dossier.
Imports of past certificates are in services_import; revocation, lapse and re-evaluation reminders
in services_lifecycle. Every write is audited in its transaction; the product's status follows
through registry.services.product_set_status."""

import calendar
import secrets
import string
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from certificates.models import Certificate, CertificateEvent, NumberCounter, NumberPattern
from evaluation.models import CouncilLevel, CriteriaRelease, Dossier, DossierResult, EvaluationRound, StarBand
from ocop_hub.text import plain_text
from registry import access
from registry.models import Product
from registry.services import product_set_status
from traceability.changes import scan_pages_changed

CENTRAL_ISSUER = "central"
# What {province} prints on the Ministry's certificates (trung ương).
CENTRAL_CODE = "TW"
CENTRAL_ISSUER_VI = "Bộ Nông nghiệp và Môi trường"
DEFAULT_PATTERN: str = NumberPattern._meta.get_field("pattern").default  # type: ignore[assignment]
PATTERN_FIELDS = {"seq", "year", "province", "stars"}

# Printed on certificates and read aloud on the phone: no 0/O or 1/I to confuse.
CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1I")
CODE_LENGTH = 10

# Used when a release carries no star bands (imports of certificates from before 26/2026).
CERTIFIABLE_STARS_DEFAULT = (3, 4, 5)


def months_after(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end: 31 Jan + 1 month = 28/29 Feb
    (Art. 4.3: "36 tháng kể từ ngày ... ban hành")."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- numbers --------------------------------------------------------------------------------------


def number_pattern_check(pattern: str) -> str:
    """An example number for a pattern, or a ValidationError saying what is wrong with it. Only the
    four placeholders are allowed (no attribute or index access: the pattern is typed in the admin)."""
    invalid = ValidationError(
        {
            "pattern": _(
                "The pattern %(pattern)s is not valid: use the placeholders {seq:03d}, {year}, "
                "{province} and {stars} around fixed text."
            )
            % {"pattern": pattern}
        }
    )
    try:
        fields = [(name, spec) for _text, name, spec, _conv in string.Formatter().parse(pattern) if name]
    except ValueError as exc:
        raise invalid from exc
    if any(name not in PATTERN_FIELDS or "{" in (spec or "") for name, spec in fields):
        raise invalid
    if "seq" not in {name for name, _spec in fields}:
        raise ValidationError(
            {"pattern": _("The pattern must contain {seq}: it is what makes each certificate number unique.")}
        )
    try:
        example = pattern.format(seq=1, year=2026, province="15", stars=4)
    except (ValueError, TypeError) as exc:
        raise invalid from exc
    if len(example) > Certificate._meta.get_field("number").max_length - 10:  # type: ignore[operator]
        raise ValidationError({"pattern": _("The pattern gives certificate numbers that are too long.")})
    return example


def number_pattern_for(issuer: str) -> str:
    if issuer == CENTRAL_ISSUER:
        return DEFAULT_PATTERN
    row = NumberPattern.objects.filter(province_id=issuer).only("pattern").first()
    return row.pattern if row else DEFAULT_PATTERN


def certificate_number_draw(*, issuer: str, year: int, pattern: str, stars: int = 0) -> str:
    """The next number of an issuer (a province code, or "central") in a year. The counter row is
    locked until the caller's transaction ends, so two officials issuing at once get consecutive
    numbers, and a rolled-back issue gives its number back (no gaps)."""
    number_pattern_check(pattern)
    with transaction.atomic():
        counter, _created = NumberCounter.objects.get_or_create(issuer=issuer, year=year)
        counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last += 1
        counter.save(update_fields=["last"])
    province = CENTRAL_CODE if issuer == CENTRAL_ISSUER else issuer
    return pattern.format(seq=counter.last, year=year, province=province, stars=stars)


def verification_code_new() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Certificate.objects.filter(verification_code=code).exists():
            return code


# --- shared checks ----------------------------------------------------------------------------------


def certifiable_stars(release: CriteriaRelease) -> list[int]:
    stars = sorted(StarBand.objects.filter(release=release, certifiable=True).values_list("stars", flat=True))
    return stars or list(CERTIFIABLE_STARS_DEFAULT)


def stars_text(stars: list[int]) -> str:
    return ", ".join(str(s) for s in stars)


def _certifying_province(round_: EvaluationRound, dossier: Dossier):
    """Who recognises the result: the round's province; in a central round, the Ministry for 5★ and,
    Art. 7.4.g, the chair of the product's province for 3★/4★ on the central result (any level that
    forwards to the central council and certifies that star)."""
    if round_.province is not None:
        return round_.province
    result = DossierResult.objects.filter(dossier=dossier).first()
    if result is None:
        return None
    lower = CouncilLevel.objects.filter(
        release=round_.release, forwards_to=round_.level, max_star_certified__gte=result.stars
    ).exists()
    return dossier.product.province if lower else None


def _issuer_vi(province) -> str:
    if province is None:
        return CENTRAL_ISSUER_VI
    name = province.name  # "Tỉnh Lào Cai", "Thành phố Hà Nội"
    return f"Ủy ban nhân dân {name[:1].lower()}{name[1:]}"


def product_status_follow(product: Product, *, status: str, reason: str) -> None:
    product_set_status(actor=None, product=product, status=status, reason=reason)


def certificate_event_add(
    certificate: Certificate, *, kind: str, at: date, actor, reason: str = "", **details
) -> CertificateEvent:
    return CertificateEvent.objects.create(
        certificate=certificate,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        details=details,
    )


# --- issue ----------------------------------------------------------------------------------------


def _issue_problems(dossier: Dossier, result: DossierResult | None) -> list[str]:
    round_ = dossier.round
    if round_.status != EvaluationRound.Status.CLOSED:
        return [
            _(
                "The round %(round)s is not closed yet: certificates are issued once the council's "
                "results are final."
            )
            % {"round": round_.name}
        ]
    if dossier.status in (Dossier.Status.REJECTED, Dossier.Status.NOT_RECOGNISED):
        return [_("This dossier was not recognised; it gets no certificate.")]
    if dossier.status == Dossier.Status.FORWARDED:
        # Art. 7.3.e: a potential 5-star product is recognised by the Ministry, not the province.
        return [_("This dossier was forwarded to the next level; its certificate is decided there.")]
    if result is None:
        return [_("This dossier has no result yet: the council must score it first.")]
    if result.knocked_out:
        return [_("This dossier was rejected by a knock-out rule; it gets no certificate.")]
    certifiable = certifiable_stars(round_.release)
    if result.stars not in certifiable:
        return [
            _(
                "A %(stars)s-star result gets no certificate: under Decision %(decision)s only "
                "products of %(certifiable)s stars are certified."
            )
            % {
                "stars": result.stars,
                "decision": round_.release.decision,
                "certifiable": stars_text(certifiable),
            }
        ]
    level = round_.level
    if level.max_star_certified is None:
        return [_("%(level)s does not issue certificates.") % {"level": level.name_vi}]
    if result.stars > level.max_star_certified:
        return [
            _(
                "%(level)s certifies products of up to %(max)s stars; a %(stars)s-star product is "
                "recognised by the next level."
            )
            % {"level": level.name_vi, "max": level.max_star_certified, "stars": result.stars}
        ]
    return []


def _issue_kind(
    *, dossier: Dossier, stars: int, superseded: Certificate | None
) -> tuple[str, Certificate | None]:
    """ISSUE for a first recognition; against the certificate it follows: RENEWAL with the same
    stars, UPGRADE or DOWNGRADE otherwise."""
    reference = superseded
    if reference is None and dossier.kind != Dossier.Kind.FIRST:
        # A re-evaluation decided after the old certificate lapsed still continues its history.
        reference = (
            Certificate.objects.filter(product_id=dossier.product_id)
            .exclude(status=Certificate.Status.REVOKED)
            .order_by("-valid_until", "-id")
            .first()
        )
    if reference is None:
        return CertificateEvent.Kind.ISSUE, None
    if stars > reference.stars:
        return CertificateEvent.Kind.UPGRADE, reference
    if stars < reference.stars:
        return CertificateEvent.Kind.DOWNGRADE, reference
    return CertificateEvent.Kind.RENEWAL, reference


def certificate_issue(*, actor, dossier: Dossier, decision_no: str, decision_date: date) -> Certificate:
    """Issue the certificate of a dossier recognised in a closed round (Art. 7.3.e, 7.4.e): numbered,
    valid for the release's months from the decision, replacing the product's earlier certificate."""
    round_ = (
        EvaluationRound.objects.select_related("province", "level", "release")
        .filter(pk=dossier.round_id)
        .get()
    )
    certifier = _certifying_province(round_, dossier)
    if not access.is_province_official(actor, certifier.code if certifier else None):
        if certifier is None:
            raise PermissionDenied(
                _("Only a national official can issue the certificates of a central round.")
            )
        raise PermissionDenied(
            _("Only an official of %(province)s or a national official can issue these certificates.")
            % {"province": certifier.name}
        )
    errors: dict[str, list[str]] = {}
    try:
        decision_no = plain_text(decision_no or "", field="decision_no")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if not decision_no:
            errors["decision_no"] = [_("Give the number of the recognition decision.")]
    if not isinstance(decision_date, date):
        errors["decision_date"] = [_("Give the date of the recognition decision.")]
    elif decision_date > timezone.localdate():
        errors["decision_date"] = [_("The decision date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        locked.round = round_
        existing = Certificate.objects.filter(dossier=locked).first()
        if existing is not None:
            raise ValidationError(
                {
                    "dossier": _("Certificate %(number)s has already been issued for this dossier.")
                    % {"number": existing.number}
                }
            )
        result = DossierResult.objects.filter(dossier=locked).first()
        problems = _issue_problems(locked, result)
        if problems:
            raise ValidationError({"dossier": problems})
        assert result is not None
        # One issue at a time per product, so two decisions cannot both leave a valid certificate.
        product = Product.objects.select_for_update().select_related("entity").get(pk=locked.product_id)
        superseded = (
            Certificate.objects.select_for_update()
            .filter(product=product, status=Certificate.Status.VALID)
            .order_by("-valid_until", "-id")
            .first()
        )
        kind, reference = _issue_kind(dossier=locked, stars=result.stars, superseded=superseded)

        issuer = certifier.code if certifier else CENTRAL_ISSUER
        pattern = number_pattern_for(issuer)
        number = certificate_number_draw(
            issuer=issuer, year=decision_date.year, pattern=pattern, stars=result.stars
        )
        # Numbers of certificates imported from earlier records are skipped, not reused.
        while Certificate.objects.filter(number=number).exists():
            number = certificate_number_draw(
                issuer=issuer, year=decision_date.year, pattern=pattern, stars=result.stars
            )
        release = round_.release
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=number,
                    verification_code=verification_code_new(),
                    product=product,
                    entity=product.entity,
                    dossier=locked,
                    release=release,
                    stars=result.stars,
                    score=result.average_total,
                    decision_no=decision_no,
                    decision_date=decision_date,
                    issuer_vi=_issuer_vi(certifier),
                    valid_from=decision_date,
                    valid_until=months_after(decision_date, release.certificate_validity_months),
                )
        except IntegrityError as exc:  # a concurrent issue for the same dossier
            raise ValidationError(
                {"dossier": _("A certificate has already been issued for this dossier.")}
            ) from exc
        if superseded is not None:
            superseded.status = Certificate.Status.SUPERSEDED
            superseded.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action="certificate.supersede",
                obj=superseded,
                before={"status": Certificate.Status.VALID},
                after={"status": Certificate.Status.SUPERSEDED, "by": number},
            )
        certificate_event_add(
            certificate,
            kind=kind,
            at=decision_date,
            actor=actor,
            dossier=locked.pk,
            previous=reference.number if reference else None,
            stars_before=reference.stars if reference else None,
            stars=certificate.stars,
        )
        before_status = locked.status
        locked.status = Dossier.Status.CERTIFIED
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="dossier.status",
            obj=locked,
            before={"status": before_status},
            after={"status": locked.status},
            reason=number,
        )
        audit_record(actor=actor, action=f"certificate.{kind}", obj=certificate, after=snapshot(certificate))
        product_status_follow(product, status=Product.Status.CERTIFIED, reason=number)
    scan_pages_changed()  # the scan page shows this product's certificate and texts
    return certificate
