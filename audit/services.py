"""Writes to the audit log. Called by every other service inside its own transaction."""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import AuditChainHead, AuditEvent
from ocop_hub.db import rows_append

GENESIS = "0" * 64
EVENT_FIELDS = [
    "at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "prev_hash",
    "hash",
]


def _json_column(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an object, for the before/after of an event."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def event_hash(*, prev_hash: str, event: AuditEvent) -> str:
    payload = {
        "prev": prev_hash,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "type": event.object_type,
        "id": event.object_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{raw}".encode()).hexdigest()


def _event(*, user, at, action: str, obj: models.Model, before, after, reason: str) -> AuditEvent:
    event = AuditEvent(
        at=at,
        actor=user,
        actor_label=(user.get_username() if user else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )
    # JSONField round-trips through the database; hash what will be read back.
    event.before = json.loads(json.dumps(event.before, ensure_ascii=False))
    event.after = json.loads(json.dumps(event.after, ensure_ascii=False))
    return event


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        user = actor if getattr(actor, "is_authenticated", False) else None
        event = _event(
            user=user, at=timezone.now(), action=action, obj=obj, before=before, after=after, reason=reason
        )
        event.prev_hash = head.last_hash
        event.hash = event_hash(prev_hash=head.last_hash, event=event)
        event.save()
        head.last_hash = event.hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
        return event


def audit_record_many(
    *, actor, action: str, items: list[tuple[models.Model, dict | None, dict | None]], reason: str = ""
) -> int:
    """One event per (object, before, after), chained in order and inserted in batches: what an
    import of thousands of rows writes, with the same record as one `audit_record` per row."""
    if not items:
        return 0
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        user = actor if getattr(actor, "is_authenticated", False) else None
        at = timezone.now()
        prev = head.last_hash
        events = []
        for obj, before, after in items:
            event = _event(
                user=user, at=at, action=action, obj=obj, before=before, after=after, reason=reason
            )
            event.prev_hash = prev
            event.hash = prev = event_hash(prev_hash=prev, event=event)
            events.append(event)
        at_db = connection.ops.adapt_datetimefield_value(at)
        rows_append(
            AuditEvent,
            [*EVENT_FIELDS, "actor"],
            [
                (
                    at_db,
                    e.actor_label,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    _json_column(e.before),
                    _json_column(e.after),
                    e.reason,
                    e.prev_hash,
                    e.hash,
                    user.pk if user else None,
                )
                for e in events
            ],
        )
        head.last_hash = prev
        head.count += len(events)
        head.save(update_fields=["last_hash", "count"])
    return len(events)
