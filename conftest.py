import pytest

from places.services import places_load
from registry.services_categories import categories_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The map, the 26 product categories and the 26/2026 criteria release are reference data every
    test stands on: load them once."""
    from evaluation.services_criteria import criteria_release_load

    with django_db_blocker.unblock():
        places_load()
        categories_load()
        criteria_release_load()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture(autouse=True)
def _scan_state():
    """Scans wait in a per-process buffer and salts are remembered per process (scans app): every
    test starts without another test's."""
    from scans import privacy
    from scans.buffer import scan_buffer

    scan_buffer.clear()
    privacy.salts_forget()
    yield
    scan_buffer.clear()
    privacy.salts_forget()


@pytest.fixture
def vietnamese(settings):
    """Pages and messages in Vietnamese (the default language)."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def reference_data(django_db_blocker):
    """For transactional tests (live server): the flush after each one empties every table, so the
    map and criteria sets are put back when missing (cheap: the package rows are cached per process)."""
    from places.models import Province

    if not Province.objects.exists():
        from evaluation.services_criteria import criteria_release_load

        places_load()
        categories_load()
        criteria_release_load()


@pytest.fixture
def english():
    """Messages in English, for tests that assert on the English text."""
    from django.utils import translation

    with translation.override("en"):
        yield
