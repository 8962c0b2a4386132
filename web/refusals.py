"""How pages turn a selector's miss or a service's refusal into what the user sees: one way for
every app (a 404 that names jurisdiction, messages instead of stack traces)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


def get_or_404(fn, *args):
    """Call a scoped detail selector; an object the user may not see is simply not found."""
    try:
        return fn(*args)
    except ObjectDoesNotExist as exc:
        raise Http404(_("Not found, or not in your jurisdiction.")) from exc


def show_refusal(request, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal as messages on the next page (never a stack trace)."""
    for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        messages.error(request, message)
