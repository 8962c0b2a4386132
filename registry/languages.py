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


class TranslatedContent:
    """A model whose content sits in a `translations` table keyed by language (DESIGN: translations
    as data): the Vietnamese name, and the content in a language falling back to Vietnamese. Both
    read `translations.all()`, so a prefetch serves them without a query."""

    @property
    def name_vi(self) -> str:
        for tr in self.translations.all():  # type: ignore[attr-defined]
            if tr.language == REQUIRED_LANGUAGE:
                return tr.name
        return ""

    def translation(self, language: str):
        by_lang = {tr.language: tr for tr in self.translations.all()}  # type: ignore[attr-defined]
        return by_lang.get(language) or by_lang.get(REQUIRED_LANGUAGE)
