import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from registry.models import Role
from registry.services_people import role_grant, user_create
from tests.factories import commune, make_user, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_it_creates_an_audited_account_that_can_log_in():
    national = with_role(make_user(), Role.Kind.NATIONAL)
    user = user_create(
        actor=national, username="canbo_laocai", password="Ch3-shan-tuyet!", email="cb@example.org"
    )
    assert authenticate(username="canbo_laocai", password="Ch3-shan-tuyet!") == user
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == national and "password" not in event.after


def test_it_refuses_a_taken_username():
    make_user("trung")
    with pytest.raises(ValidationError) as exc:
        user_create(actor=None, username="trung", password="x-long-password-1")
    assert "taken" in " ".join(exc.value.messages)
    assert get_user_model().objects.filter(username="trung").count() == 1


def test_only_a_national_official_creates_accounts_and_grants_roles():
    province_official = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lào Cai").province)
    with pytest.raises(PermissionDenied):
        user_create(actor=province_official, username="new", password="x-long-password-1")
    with pytest.raises(PermissionDenied):
        role_grant(actor=province_official, user=province_official, kind=Role.Kind.NATIONAL)
    assert not Role.objects.filter(user=province_official, kind=Role.Kind.NATIONAL).exists()


def test_a_jurisdiction_role_needs_its_jurisdiction():
    with pytest.raises(ValidationError):
        role_grant(actor=None, user=make_user(), kind=Role.Kind.PROVINCE)


def test_granting_the_same_role_twice_keeps_one():
    user = make_user()
    lao_cai = commune("Lào Cai").province
    role_grant(actor=None, user=user, kind=Role.Kind.PROVINCE, province=lao_cai)
    role_grant(actor=None, user=user, kind=Role.Kind.PROVINCE, province=lao_cai)
    assert Role.objects.filter(user=user).count() == 1
