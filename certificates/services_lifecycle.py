"""A certificate's life after issue: revocation (Art. 8), lapse at the end of validity (Art. 4.3) and
the choice of re-evaluation reminders (Art. 7.6; sent by certificates.tasks)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from certificates.models import Certificate, CertificateEvent
from certificates.services import certificate_event_add, product_status_follow
from evaluation.models import CriteriaRelease, Dossier
from ocop_hub.text import plain_text
from registry import access
from registry.models import Product
from traceability.changes import scan_pages_changed

# --- revocation -----------------------------------------------------------------------------------

# Art. 8.2 of 26/2026: the province chair revokes 3★ and 4★, the Minister 5★.
MINISTER_REVOKES_FROM_STARS = 5


def certificate_revoke(
    *, actor, certificate: Certificate, ground: str, reason: str, decided_on: date
) -> Certificate:
    """Record a revocation decision (Art. 8) on one of its grounds; the product loses its OCOP status."""
    product = certificate.product
    if certificate.stars >= MINISTER_REVOKES_FROM_STARS:
        if not (actor is None or access.scope_of(actor).national):
            raise PermissionDenied(
                _(
                    "A %(stars)s-star certificate is revoked by the Minister of Agriculture and "
                    "Environment (Decision 26/2026, Art. 8.2); only a national official can record it."
                )
                % {"stars": certificate.stars}
            )
    elif not access.is_province_official(actor, product.province_id):
        raise PermissionDenied(
            _(
                "A %(stars)s-star certificate is revoked by the chair of the People's Committee of "
                "%(province)s (Decision 26/2026, Art. 8.2); only an official of that province can "
                "record it."
            )
            % {"stars": certificate.stars, "province": product.province.name}
        )
    errors: dict[str, list[str]] = {}
    if ground not in Certificate.RevocationGround.values:
        errors["ground"] = [_("Choose one of the grounds for revocation of Article 8.")]
    try:
        reason = plain_text(reason or "", field="reason")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if not reason:
            errors["reason"] = [_("Give the reason: the inspection conclusion or decision it rests on.")]
    if not isinstance(decided_on, date):
        errors["decided_on"] = [_("Give the date of the revocation decision.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("The revocation date cannot be in the future.")]
    elif decided_on < certificate.decision_date:
        errors["decided_on"] = [_("The revocation date cannot be before the certificate was issued.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.VALID:
            raise ValidationError(
                {
                    "certificate": _("Only a valid certificate can be revoked; this one is %(status)s.")
                    % {"status": locked.get_status_display().lower()}
                }
            )
        before = snapshot(locked, ["status", "revocation_ground"])
        locked.status = Certificate.Status.REVOKED
        locked.revocation_ground = ground
        locked.save(update_fields=["status", "revocation_ground"])
        certificate_event_add(
            locked,
            kind=CertificateEvent.Kind.REVOCATION,
            at=decided_on,
            actor=actor,
            reason=reason,
            ground=ground,
        )
        audit_record(
            actor=actor,
            action="certificate.revoke",
            obj=locked,
            before=before,
            after=snapshot(locked, ["status", "revocation_ground"]),
            reason=reason,
        )
        if not Certificate.objects.filter(product=product, status=Certificate.Status.VALID).exists():
            product_status_follow(product, status=Product.Status.REVOKED, reason=locked.number)
    scan_pages_changed()  # the scan page shows this product's certificate and texts
    return locked


# --- lapse and re-evaluation ------------------------------------------------------------------------


def certificates_lapse(*, today: date) -> int:
    """Every valid certificate whose last day has passed becomes expired (Art. 4.3, 7.6). Each in its
    own transaction, re-checked under lock: running twice, or on two machines, lapses each once."""
    lapsed = 0
    due = Certificate.objects.filter(status=Certificate.Status.VALID, valid_until__lt=today)
    for pk in due.values_list("pk", flat=True).order_by("valid_until", "pk"):
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().select_related("product").get(pk=pk)
            if locked.status != Certificate.Status.VALID or locked.valid_until >= today:
                continue
            locked.status = Certificate.Status.EXPIRED
            locked.save(update_fields=["status"])
            # The first day without a certificate, whichever day the job ran.
            lapsed_on = locked.valid_until + timedelta(days=1)
            certificate_event_add(locked, kind=CertificateEvent.Kind.LAPSE, at=lapsed_on, actor=None)
            audit_record(
                actor=None,
                action="certificate.lapse",
                obj=locked,
                before={"status": Certificate.Status.VALID},
                after={"status": Certificate.Status.EXPIRED},
            )
            product = locked.product
            others = Certificate.objects.filter(product=product, status=Certificate.Status.VALID)
            if product.status == Product.Status.CERTIFIED and not others.exists():
                product_status_follow(product, status=Product.Status.EXPIRED, reason=locked.number)
            lapsed += 1
    if lapsed:
        scan_pages_changed()  # the scan pages show these products' certificates
    return lapsed


@dataclass(frozen=True)
class ReevaluationReminder:
    certificate: Certificate
    kind: str  # "opens": the filing window opens today; "closes": it closes within a week
    file_from: date
    file_until: date


REMINDER_OPENS = "opens"
REMINDER_CLOSES = "closes"
REMINDER_CLOSING_DAYS = 7


def _release_in_force(today: date) -> CriteriaRelease | None:
    """The filing window is the one of the rules in force when the entity files (Art. 12)."""
    return (
        CriteriaRelease.objects.filter(effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .order_by("-effective_from")
        .first()
    )


def reevaluation_reminders(*, today: date) -> list[ReevaluationReminder]:
    """Valid certificates whose re-evaluation window (Art. 7.6.a: 180 to 120 days before expiry)
    opens today or closes within a week, except those whose product has already filed. Returned, not
    sent: certificates.tasks sends them."""
    release = _release_in_force(today)
    earliest = release.reevaluation_window_earliest_days if release else 180
    latest = release.reevaluation_window_latest_days if release else 120
    opens_on = today + timedelta(days=earliest)
    closes_from = today + timedelta(days=latest)
    closes_to = closes_from + timedelta(days=REMINDER_CLOSING_DAYS)
    candidates = (
        Certificate.objects.filter(status=Certificate.Status.VALID)
        .filter(Q(valid_until=opens_on) | Q(valid_until__gte=closes_from, valid_until__lte=closes_to))
        .select_related("product", "entity")
        .prefetch_related("product__translations")
        .order_by("valid_until", "pk")
    )
    reminders = []
    for certificate in candidates:
        filed = Dossier.objects.filter(
            product_id=certificate.product_id,
            kind=Dossier.Kind.REEVALUATION,
            submitted_at__isnull=False,
            created_at__date__gte=certificate.valid_from,
        ).exists()
        if filed:
            continue
        until = certificate.valid_until
        reminders.append(
            ReevaluationReminder(
                certificate=certificate,
                kind=REMINDER_OPENS if certificate.valid_until == opens_on else REMINDER_CLOSES,
                file_from=until - timedelta(days=earliest),
                file_until=until - timedelta(days=latest),
            )
        )
    return reminders
