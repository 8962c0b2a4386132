import pytest
from django.utils import translation

from registry.models import Role
from tests.factories import commune, make_entity, make_user, with_role
from tests.trade.builders import certified_product


@pytest.fixture
def english():
    """Service messages in English, so tests read like the brief."""
    with translation.override("en"):
        yield


@pytest.fixture
def entity():
    return make_entity(commune_obj=commune("Lào Cai"))


@pytest.fixture
def product(entity):
    return certified_product(entity=entity)


@pytest.fixture
def producer(entity):
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)


@pytest.fixture
def other_producer():
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity(commune_obj=commune("Lào Cai")))


@pytest.fixture
def lao_cai_official():
    return with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lào Cai").province)


@pytest.fixture
def hanoi_official():
    return with_role(make_user(), Role.Kind.PROVINCE, province=commune("Hà Nội").province)


@pytest.fixture
def national_official():
    return with_role(make_user(), Role.Kind.NATIONAL)
