"""Languages of product content (not of the user interface): vi is required, the others optional."""

from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("fr", _("French")),
    ("zh", _("Chinese")),
    ("ko", _("Korean")),
]
REQUIRED_LANGUAGE = "vi"
