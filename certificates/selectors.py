"""Reads of certificates: the public verification by code, and certificates for logged-in users (only
of products they may see, through registry.selectors)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse

from certificates.conf import public_base_url
from certificates.models import Certificate, CertificateEvent
from registry import selectors as registry_selectors

# The alphabet of certificates.services.CODE_ALPHABET, with room for codes typed by hand.
CODE_RE = re.compile(r"^[A-Z2-9]{10}$")


def certificate_by_code(code: str) -> Certificate:
    """The certificate a printed or scanned code names; Certificate.DoesNotExist for anything else
    (a malformed code never reaches the database)."""
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise Certificate.DoesNotExist(code)
    return (
        Certificate.objects.select_related(
            "product", "entity__commune", "entity__province", "release", "product__province"
        )
        .prefetch_related("product__translations")
        .get(verification_code=code)
    )


def certificate_visible_to(user, pk: int) -> Certificate:
    """A certificate of a product the user may see (Certificate.DoesNotExist or Product.DoesNotExist)."""
    certificate = Certificate.objects.select_related("entity__commune", "entity__province", "release").get(
        pk=pk
    )
    certificate.product = registry_selectors.product_detail(user, certificate.product_id)
    return certificate


def star_history(product_id: int) -> QuerySet[CertificateEvent]:
    """Every event of every certificate of a product, oldest first: the product's star timeline."""
    return (
        CertificateEvent.objects.filter(certificate__product_id=product_id)
        .select_related("certificate")
        .order_by("at", "id")
    )


def current_certificate(product_id: int) -> Certificate | None:
    return (
        Certificate.objects.filter(product_id=product_id, status=Certificate.Status.VALID)
        .order_by("-valid_until")
        .first()
    )


@dataclass(frozen=True)
class Verdict:
    """What the verification page says about a certificate today."""

    state: str  # valid, expiring, expired, revoked, superseded
    days_left: int | None = None
    replaced_by: Certificate | None = None

    @property
    def is_good(self) -> bool:
        return self.state in ("valid", "expiring")


def certificate_verdict(certificate: Certificate, *, today: date) -> Verdict:
    status = certificate.status
    if status == Certificate.Status.REVOKED:
        return Verdict("revoked")
    if status == Certificate.Status.SUPERSEDED:
        return Verdict("superseded", replaced_by=current_certificate(certificate.product_id))
    if status == Certificate.Status.EXPIRED or certificate.valid_until < today:
        # The daily job may not have run yet: a passed date is expired whatever the status says.
        return Verdict("expired")
    days_left = (certificate.valid_until - today).days
    # "Expiring" from the day re-evaluation may be filed (Art. 7.6.a: 180 days before expiry).
    warning = timedelta(days=certificate.release.reevaluation_window_earliest_days)
    if certificate.valid_until - warning <= today:
        return Verdict("expiring", days_left=days_left)
    return Verdict("valid", days_left=days_left)


def revocation_event(certificate: Certificate) -> CertificateEvent | None:
    return certificate.events.filter(kind=CertificateEvent.Kind.REVOCATION).order_by("-at", "-id").first()


def verification_url(certificate: Certificate) -> str:
    """The absolute URL printed in the certificate's QR code and in e-mails."""
    return public_base_url() + reverse("certificates:verify", args=[certificate.verification_code])


def dossiers_to_certify(evaluation_round):
    """Recognised dossiers of a closed round that have no certificate yet."""
    from evaluation.models import Dossier

    return (
        Dossier.objects.filter(round=evaluation_round, status=Dossier.Status.SCORED, certificate__isnull=True)
        .select_related("product", "product__entity", "result")
        .prefetch_related("product__translations")
    )


def certificates_of_round(evaluation_round) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(dossier__round=evaluation_round)
        .select_related("product", "entity")
        .order_by("number")
    )
