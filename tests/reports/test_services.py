"""Setting targets: who may, what is refused (with the message, nothing changed), the audit record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from registry.models import Role
from reports.models import Target
from reports.services import target_set
from tests.factories import make_user, with_role
from tests.reports.records import province

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "first_certified",
    "start_year": 2021,
    "end_year": 2025,
    "value": 60,
    "source": "QĐ 1234/QĐ-UBND",
}


def test_it_replaces_a_target_and_audits_before_and_after(english):
    ls = province("Lạng Sơn")
    official = with_role(make_user(), Role.Kind.PROVINCE, province=ls)
    first = target_set(actor=official, province=ls, **GOOD)
    second = target_set(actor=official, province=ls, **{**GOOD, "value": 65, "source": "QĐ 99/QĐ-UBND"})
    assert first.pk == second.pk and Target.objects.get().value == 65
    last = AuditEvent.objects.filter(action="target.set").order_by("-id").first()
    assert (
        last.before["value"] == 60 and last.after["value"] == 65 and last.after["source"] == "QĐ 99/QĐ-UBND"
    )


def test_a_national_target_is_set_by_national_officials_only(english):
    national = with_role(make_user(), Role.Kind.NATIONAL)
    target_set(actor=national, province=None, **GOOD)
    official = with_role(make_user(), Role.Kind.PROVINCE, province=province("Lạng Sơn"))
    with pytest.raises(PermissionDenied, match="Only a national official can set national targets."):
        target_set(actor=official, province=None, **{**GOOD, "value": 1})
    assert Target.objects.get(province=None).value == 60


def test_a_province_official_cannot_set_another_provinces_target(english):
    official = with_role(make_user(), Role.Kind.PROVINCE, province=province("Lạng Sơn"))
    with pytest.raises(PermissionDenied, match="Only an official of Thành phố Hà Nội"):
        target_set(actor=official, province=province("Hà Nội"), **GOOD)
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"kind": "everything"}, "kind", "Choose what the target counts."),
        ({"start_year": "twenty"}, "start_year", "Enter a year between 2000 and 2100."),
        ({"end_year": 20300}, "end_year", "Enter a year between 2000 and 2100."),
        ({"end_year": 2020}, "end_year", "The last year cannot be before the first year."),
        ({"value": 0}, "value", "Enter the target as a whole number above zero."),
        ({"value": "1.5"}, "value", "Enter the target as a whole number above zero."),
        ({"source": "  "}, "source", "Give the decision that sets this target"),
        ({"source": "<b>QĐ</b>"}, "source", "HTML is not allowed"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_keeps_nothing(english, change, field, message):
    with pytest.raises(ValidationError) as exc:
        target_set(actor=None, province=province("Lạng Sơn"), **{**GOOD, **change})
    assert message in exc.value.message_dict[field][0]
    assert not Target.objects.exists()
    assert not AuditEvent.objects.filter(action="target.set").exists()
