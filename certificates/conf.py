"""Settings the certificates app reads, with their development defaults."""

from django.conf import settings


def public_base_url() -> str:
    """Where the public reaches this platform: the verification URL in a certificate's QR code is
    built on it, so production must set OCOP_PUBLIC_BASE_URL (a printed QR code cannot be changed)."""
    return str(getattr(settings, "OCOP_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
