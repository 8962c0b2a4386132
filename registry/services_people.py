"""Roles (jurisdiction as data) and personal API tokens."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from registry import access
from registry.models import ApiToken, Role


def role_grant(*, actor, user, kind: str, province=None, commune=None, entity=None) -> Role:
    """Give a user a role. Only national officials (or the platform itself) grant roles."""
    if actor is not None:
        access.require(access.scope_of(actor).national)
    needs: dict[str, tuple[str, object]] = {
        Role.Kind.PROVINCE: ("province", province),
        Role.Kind.COMMUNE: ("commune", commune),
        Role.Kind.ENTITY_MEMBER: ("entity", entity),
    }
    if kind not in Role.Kind.values:
        raise ValidationError({"kind": _("Unknown role.")})
    if kind in needs and needs[kind][1] is None:
        raise ValidationError({needs[kind][0]: _("This role needs a jurisdiction.")})
    with transaction.atomic():
        role, created = Role.objects.get_or_create(
            user=user, kind=kind, province=province, commune=commune, entity=entity
        )
        if created:
            audit_record(actor=actor, action="role.grant", obj=role, after=snapshot(role))
    return role


def user_create(
    *,
    actor,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    superuser: bool = False,
):
    """Create a login. Only national officials (or the platform) create accounts; roles come after."""
    if actor is not None:
        access.require(access.scope_of(actor).national)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    with transaction.atomic():
        user = user_model(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=superuser,
            is_superuser=superuser,
        )
        # A pre-computed hash lets the demo loader use a cheaper hash for its throw-away accounts.
        user.password = password_hash or make_password(password)
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            after={"username": username, "email": email, "superuser": superuser},
        )
    return user


def user_password_set(*, actor, user, password: str | None = None, password_hash: str | None = None) -> None:
    if actor is not None and actor.pk != user.pk:
        access.require(access.scope_of(actor).national)
    with transaction.atomic():
        user.password = password_hash or make_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, action="user.password_set", obj=user, after={"password": "changed"})


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is shown once and only its hash is kept."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Log in to create an API token."))
    name = (name or "").strip()[:100] or _("API token")
    key = "ocop_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, prefix=key[5:13], key_hash=_hash(key))
        audit_record(
            actor=actor, action="api_token.create", obj=token, after={"name": name, "prefix": token.prefix}
        )
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> None:
    if token.user_id != getattr(actor, "pk", None):
        access.require(False)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token, after={"revoked": True})


def api_token_authenticate(key: str):
    """The user a key belongs to, or None. Updates last use at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key or ""), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
