"""EPCIS 2.0 REST bindings: POST /epcis/capture, GET /epcis/capture/<id>, GET /epcis/events.

Machine-facing, so JSON answers and RFC 7807 problems with EPCIS exception types. Capture takes an
API token only (Authorization: Bearer): the views are CSRF-exempt, so a browser session must not
be able to write through them. Reads take a token, a session or nobody (then certified products only).
"""

from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from registry.services_people import api_token_authenticate
from traceability import epcis, selectors
from traceability.models import EpcisEvent

EPCIS_VERSION = "2.0.0"
CAPTURE_TYPES = ("application/ld+json", "application/json")
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 500
PAGE_CURSOR_SALT = "traceability.epcis.events.page"
QUERY_PARAMETERS = {
    "eventType": "event_type",
    "EQ_bizStep": "biz_step",
    "GE_eventTime": "ge_event_time",
    "LT_eventTime": "lt_event_time",
    "MATCH_epc": "match_epc",
    "MATCH_anyEPC": "match_any_epc",
    "EQ_bizLocation": "eq_biz_location",
}


def _json(data: dict, *, status: int = 200, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(
        data, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False}
    )
    response["GS1-EPCIS-Version"] = EPCIS_VERSION
    return response


def _problem(status: int, title: str, kind: str = "ValidationException") -> JsonResponse:
    return _json(
        {"type": f"epcisException:{kind}", "title": title, "status": status},
        status=status,
        content_type="application/problem+json",
    )


def _bearer(request):
    """(user, whether a token was sent): a token that authenticates nobody is not anonymous."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None, False
    return api_token_authenticate(header[7:].strip()), True


def _unauthorized() -> JsonResponse:
    response = _problem(401, _("Send a valid API token: Authorization: Bearer <key>."), "SecurityException")
    response["WWW-Authenticate"] = 'Bearer realm="epcis"'
    return response


def _too_large() -> JsonResponse:
    return _problem(
        413,
        _("The document is larger than %(limit)s bytes: send its events in several captures.")
        % {"limit": f"{settings.OCOP_EPCIS_MAX_BYTES:,}"},
        "CaptureLimitExceededException",
    )


@csrf_exempt
@require_POST
def epcis_capture(request):
    user, _sent = _bearer(request)
    if user is None:
        return _unauthorized()
    if request.content_type not in CAPTURE_TYPES:
        return _problem(415, _("Send the document as application/ld+json or application/json."))
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > settings.OCOP_EPCIS_MAX_BYTES:
        return _too_large()
    try:
        body = request.body
    except RequestDataTooBig:
        return _too_large()
    try:
        stored = epcis.epcis_capture(actor=user, body=body)
    except PermissionDenied as exc:
        return _problem(403, str(exc) or _("You may not capture these events."), "SecurityException")
    except ValidationError as exc:
        if exc.code == "too_large":
            return _too_large()
        return _problem(400, " ".join(exc.messages))
    capture_id = stored[0].capture_id
    response = _json({"captureID": capture_id, "eventCount": len(stored)}, status=202)
    response["Location"] = reverse("traceability:epcis_capture_job", args=[capture_id])
    return response


@require_GET
def epcis_capture_job(request, capture_id: str):
    """A capture is synchronous and all or nothing: a stored one finished successfully; a refused one
    left nothing (its errors were in the POST's answer)."""
    user, _sent = _bearer(request)
    if user is None:
        return _unauthorized()
    events = EpcisEvent.objects.filter(capture_id=capture_id, captured_by=user)
    first = events.order_by("id").first()
    if first is None:
        return _problem(404, _("No capture %(id)s of yours.") % {"id": capture_id}, "NoSuchResourceException")
    return _json(
        {
            "captureID": capture_id,
            "createdAt": first.record_time.isoformat(),
            "finishedAt": first.record_time.isoformat(),
            "running": False,
            "success": True,
            "captureErrorBehaviour": "rollback",
            "eventCount": events.count(),
            "errors": [],
        }
    )


def _time(name: str, value: str) -> datetime:
    # A "+" left unencoded in a query string arrives as a space: "…T10:00:00 07:00".
    value = value.strip().replace(" ", "+")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError(
            _("%(name)s must be a date and time with a time zone, e.g. 2026-05-01T08:00:00+07:00.")
            % {"name": name}
        )
    return moment


def _query(params) -> tuple[dict, int, int]:
    unknown = sorted(set(params) - set(QUERY_PARAMETERS) - {"perPage", "nextPageToken"})
    if unknown:
        raise ValidationError(_("Unknown query parameter %(name)s.") % {"name": unknown[0]})
    filters: dict = {}
    for name, key in QUERY_PARAMETERS.items():
        value = params.get(name, "")
        if not value:
            continue
        if key in ("ge_event_time", "lt_event_time"):
            filters[key] = _time(name, value)
        else:
            filters[key] = value
    if filters.get("event_type", "") not in ("", *epcis.EVENT_TYPES):
        raise ValidationError(
            _("eventType must be one of %(types)s.") % {"types": ", ".join(sorted(epcis.EVENT_TYPES))}
        )
    try:
        per_page = int(params.get("perPage") or PER_PAGE_DEFAULT)
    except ValueError:
        per_page = 0
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationError(_("perPage must be a number from 1 to %(max)s.") % {"max": PER_PAGE_MAX})
    after = 0
    if params.get("nextPageToken"):
        try:
            after = int(signing.loads(params["nextPageToken"], salt=PAGE_CURSOR_SALT))
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise ValidationError(_("This nextPageToken is not one we gave out.")) from exc
    return filters, after, per_page


@require_GET
def epcis_events(request):
    user, sent = _bearer(request)
    if sent and user is None:
        return _unauthorized()
    if user is None and request.user.is_authenticated:
        user = request.user
    try:
        filters, after, per_page = _query(request.GET)
    except ValidationError as exc:
        return _problem(400, " ".join(exc.messages), "QueryParameterException")
    events, continue_after = selectors.epcis_events_page(user, after=after, per_page=per_page, **filters)
    response = _json(epcis.query_document(events), content_type="application/ld+json")
    if continue_after is not None:
        params = {key: value for key, value in request.GET.items() if key != "nextPageToken"}
        params["nextPageToken"] = signing.dumps(continue_after, salt=PAGE_CURSOR_SALT)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{urlencode(params)}>; rel="next"'
    return response
