"""Visitors without their IP addresses: a key = HMAC-SHA256(salt of the UTC day, IP + browser).

The salt is random, kept in the database (every process of every machine computes the same key on
one day, so rate limits and distinct-visitor counts work across processes), replaced each UTC day
and deleted two days later: once it is gone, nobody (not even an operator with the database) can
tell whether a stored key belongs to a given IP address. A key is only comparable within its day;
rate limits look at today's and yesterday's keys so midnight does not reset them."""

import hashlib
import hmac
import secrets
import threading
from datetime import UTC, date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from scans.models import VisitorSalt

# A salt this many days old is deleted when a new day's salt is made (and by `scans_purge`):
# only today's and yesterday's remain.
SALT_KEEP_DAYS = 2

_lock = threading.Lock()
_salts: dict[date, str] = {}  # per process: one read per day, not one per scan


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def salts_forget() -> None:
    """Forget the salts this process remembers (tests, and after a purge)."""
    with _lock:
        _salts.clear()


def salt_for(day: date) -> str | None:
    """The salt of a UTC day: today's is made when missing (and older ones deleted); a past day's is
    None when it was deleted."""
    with _lock:
        if day in _salts:
            return _salts[day]
    row = VisitorSalt.objects.filter(day=day).first()
    if row is None:
        if day != utc_today():
            return None
        row = _salt_create(day)
    with _lock:
        _salts[day] = row.salt
        for old in [d for d in _salts if d <= day - timedelta(days=SALT_KEEP_DAYS)]:
            del _salts[old]
    return row.salt


def _salt_create(day: date) -> VisitorSalt:
    try:
        with transaction.atomic():
            row = VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32))
            salts_purge(today=day)
            return row
    except IntegrityError:  # another process made it first
        return VisitorSalt.objects.get(day=day)


def salts_purge(*, today: date) -> int:
    """Delete the salts of days before yesterday: their keys can no longer be recomputed."""
    deleted, _ = VisitorSalt.objects.filter(day__lte=today - timedelta(days=SALT_KEEP_DAYS)).delete()
    return deleted


def _client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is whatever the client wrote unless a trusted proxy set
    # it, and the platform configures none. Behind a proxy, every visitor shares its address and
    # is told apart by the browser string (rate limits then apply per proxy, which errs to safety).
    return request.META.get("REMOTE_ADDR", "") or ""


def visitor_key(request, *, day: date | None = None) -> str:
    """The visitor's key for a UTC day (today by default); "" when that day's salt is gone."""
    salt = salt_for(day or utc_today())
    if salt is None:
        return ""
    message = f"{_client_ip(request)}\n{request.META.get('HTTP_USER_AGENT', '')[:512]}"
    return hmac.new(bytes.fromhex(salt), message.encode(), hashlib.sha256).hexdigest()


def visitor_keys_recent(request) -> list[str]:
    """Today's and yesterday's keys of the visitor (for rate limits that span midnight UTC)."""
    today = utc_today()
    keys = [visitor_key(request, day=today), visitor_key(request, day=today - timedelta(days=1))]
    return [key for key in keys if key]
