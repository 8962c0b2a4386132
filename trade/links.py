"""Links to shops: the rules a sales-channel or website URL must meet before the public is sent there.
https only (a shop link carries logins and payments), a real domain name (no bare IP, no user:password@
that disguises the real host) and, for the big platforms, the platform's own domain, so a "Shopee"
link cannot lead anywhere else."""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from trade.models import SalesChannel

MAX_LENGTH = 500

# The domains each platform sells from (a sub-domain such as vt.tiktok.com or oa.zalo.me is theirs too).
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    SalesChannel.Kind.TIKTOK: ("tiktok.com",),
    SalesChannel.Kind.FACEBOOK: ("facebook.com", "fb.com"),
    SalesChannel.Kind.ZALO: ("zalo.me",),
    SalesChannel.Kind.SHOPEE: ("shopee.vn",),
    SalesChannel.Kind.LAZADA: ("lazada.vn",),
    SalesChannel.Kind.TIKI: ("tiki.vn",),
}


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def shop_url_clean(raw: str, *, kind: str | None = None, field: str = "url") -> str:
    """The URL, stripped, or a ValidationError on `field` saying what to fix."""
    url = (raw or "").strip()
    if not url:
        raise ValidationError({field: _("Give the link (it starts with https://).")})
    if len(url) > MAX_LENGTH:
        raise ValidationError(
            {field: _("The link is too long (at most %(n)s characters).") % {"n": MAX_LENGTH}}
        )
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme != "https":
        raise ValidationError(
            {
                field: _(
                    "Only secure links are accepted: the link must start with https://, not “%(scheme)s”."
                )
                % {"scheme": (scheme + ":") if scheme else url[:20]}
            }
        )
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(
            {field: _("A link must not contain a user name or password (the part before “@”).")}
        )
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ValidationError({field: _("The link has no website name after https://.")})
    if _is_ip(host):
        raise ValidationError({field: _("Use the shop's web address, not a numeric IP address.")})
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ValidationError({field: _("This is not a valid web address.")}) from None
    allowed = PLATFORM_HOSTS.get(kind) if kind else None
    if kind and allowed and not any(host == d or host.endswith("." + d) for d in allowed):
        raise ValidationError(
            {
                field: _("A %(platform)s link must be on %(domains)s, not on %(host)s.")
                % {
                    "platform": SalesChannel.Kind(kind).label,
                    "domains": " / ".join(allowed),
                    "host": host,
                }
            }
        )
    return url


def website_clean(raw: str, *, field: str = "website") -> str:
    """An optional website (outlets, events, destinations): empty, or a link that meets the rules above."""
    if not (raw or "").strip():
        return ""
    return shop_url_clean(raw, field=field)
