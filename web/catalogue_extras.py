"""Django's own strings that its Vietnamese catalogue lacks (new in Django 6.x); listed here so that
makemessages puts them in ours, which takes precedence (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS_MISSING_IN_VI = [
    gettext_noop("- Select an option -"),
]
