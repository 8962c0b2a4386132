import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from audit.selectors import audit_chain_verify, events_for
from registry.services import entity_update
from tests.factories import make_entity, make_product

pytestmark = pytest.mark.django_db


def test_it_records_every_service_write_with_before_and_after():
    entity = make_entity(legal_name="HTX Chè Suối Giàng")
    entity_update(actor=None, entity=entity, representative="Bàn Văn Sơn", reason="new chair")
    events = list(events_for(entity))
    assert [e.action for e in events] == ["entity.update", "entity.create"]
    assert events[0].before["representative"] == "Nguyễn Văn A"
    assert events[0].after["representative"] == "Bàn Văn Sơn"
    assert events[0].reason == "new chair"


def test_it_writes_nothing_when_nothing_changed():
    entity = make_entity()
    before = AuditEvent.objects.count()
    entity_update(actor=None, entity=entity, representative="Nguyễn Văn A")
    assert AuditEvent.objects.count() == before


def test_it_chains_each_event_to_the_previous_one():
    make_product()
    make_product()
    events = list(AuditEvent.objects.order_by("id"))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert audit_chain_verify().broken_at is None


def test_it_refuses_to_edit_or_delete_an_event():
    make_entity()
    event = AuditEvent.objects.first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_verify_audit_reports_the_first_edited_event(capsys):
    make_product()
    make_product()
    target = AuditEvent.objects.order_by("id")[1]
    # Tampering straight in the database, as an attacker with SQL access would.
    AuditEvent.objects.filter(pk=target.pk).update(reason="forged")
    with pytest.raises(CommandError, match=f"#{target.pk}"):
        call_command("verify_audit")


def test_verify_audit_reports_a_removed_event():
    make_product()
    make_product()
    victim = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=victim.pk)._raw_delete(AuditEvent.objects.db)
    report = audit_chain_verify()
    assert report.broken_at == victim.pk + 1


def test_verify_audit_says_the_chain_is_intact(capsys):
    make_product()
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
