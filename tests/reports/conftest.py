import pytest
from django.conf import settings


@pytest.fixture
def english(client):
    """Pages and messages in English, for tests that assert on the English text."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
