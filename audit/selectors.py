from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from audit.models import AuditEvent
from audit.services import GENESIS, event_hash


def events_for(obj: models.Model) -> QuerySet[AuditEvent]:
    """An object's history, newest first (shown on officials' detail pages)."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-id")


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    problem: str = ""


def audit_chain_verify() -> ChainReport:
    prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return ChainReport(
                checked, event.pk, "previous hash does not match (an event was removed or reordered)"
            )
        if event_hash(prev_hash=prev, event=event) != event.hash:
            return ChainReport(checked, event.pk, "content does not match its hash (the event was edited)")
        prev = event.hash
        checked += 1
    return ChainReport(checked)
