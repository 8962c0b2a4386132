"""The "potential suspect" rules (EMVS habit: a scan is flagged for a human to review, never declared
fake), each with the plain sentence the consumer reads. Thresholds are settings
(OCOP_SCAN_MAX_SCANS_PER_SERIAL, OCOP_SCAN_FAR_APART_KM / _HOURS); what they look at is what
traceability.selectors.scan_context found, so a rule costs no query of its own except the
certificate's dates."""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from certificates.selectors import current_certificate
from registry.models import Product
from scans.models import SuspectCase
from traceability.models import Lot, Serial

Rule = SuspectCase.Rule


UNKNOWN = object()  # "the caller did not read the certificate": read it here


def rules_of_code(
    *,
    product: Product,
    link,
    lot: Lot | None,
    serial: Serial | None,
    today: date,
    certificate_until: object = UNKNOWN,
) -> list[str]:
    """Rules raised by the code itself: its serial, its lot, its product's certificate."""
    rules: list[str] = []
    if link.serial and serial is None:
        rules.append(Rule.NEVER_ISSUED)
    elif serial is not None and serial.status == Serial.Status.VOIDED:
        rules.append(Rule.VOIDED)
    if lot is not None and lot.status == Lot.Status.RECALLED:
        rules.append(Rule.RECALLED)
    if product.status == Product.Status.REVOKED:
        rules.append(Rule.CERTIFICATE_REVOKED)
    elif product.status == Product.Status.EXPIRED:
        rules.append(Rule.CERTIFICATE_EXPIRED)
    elif product.status == Product.Status.CERTIFIED:
        # The daily job may not have lapsed it yet: a passed date is expired whatever the status says
        # (as certificates.selectors.certificate_verdict reads it).
        if certificate_until is UNKNOWN:
            certificate = current_certificate(product.pk)
            certificate_until = certificate.valid_until if certificate is not None else None
        if isinstance(certificate_until, date) and certificate_until < today:
            rules.append(Rule.CERTIFICATE_EXPIRED)
    return rules


def too_many(scan_count: int) -> bool:
    return scan_count > settings.OCOP_SCAN_MAX_SCANS_PER_SERIAL


def reason(rule: str, *, link=None, scan_count: int = 0) -> str:
    """The sentence the scan page shows for a rule (in the visitor's language)."""
    if rule == Rule.NEVER_ISSUED:
        return _("The serial number %(serial)s was never issued by the producer of this product.") % {
            "serial": link.serial if link else ""
        }
    if rule == Rule.VOIDED:
        return _("The serial number %(serial)s was cancelled by the producer.") % {
            "serial": link.serial if link else ""
        }
    if rule == Rule.RECALLED:
        return _("The lot %(lot)s was recalled by the producer.") % {"lot": link.lot if link else ""}
    if rule == Rule.CERTIFICATE_EXPIRED:
        return _("The OCOP certificate of this product has expired.")
    if rule == Rule.CERTIFICATE_REVOKED:
        return _("The OCOP certificate of this product was revoked.")
    if rule == Rule.TOO_MANY:
        return _(
            "This code has been checked %(count)s times: far more than one package usually is. "
            "The same code may be printed on several packages."
        ) % {"count": scan_count}
    if rule == Rule.FAR_APART:
        return _(
            "This code was checked in places more than %(km)s km apart within %(hours)s hours. "
            "The same code may be printed on several packages."
        ) % {"km": f"{settings.OCOP_SCAN_FAR_APART_KM:g}", "hours": f"{settings.OCOP_SCAN_FAR_APART_HOURS:g}"}
    return ""


def confirmed_fake_reason() -> str:
    return _("Reviewers have confirmed that this code was found on fake packages.")
