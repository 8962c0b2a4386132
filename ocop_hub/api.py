"""The HTTP API (django-ninja): OpenAPI 3.1 at /api/docs. Each app adds its router here."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from inquiries.api import router as inquiries_router
from market.api import router as market_router
from places.api import router as places_router
from registry.api import router as registry_router
from reports.api import router as reports_router
from trade.api import router as trade_router

api = NinjaAPI(
    title="OCOP Hub API",
    version="1",
    description=_(
        "Registry of OCOP producer entities and products. Reads are scoped like the pages; "
        "writes need a personal API token (Authorization: Bearer …)."
    ),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("Permission denied.")}, status=403)


@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request, exc: ObjectDoesNotExist):
    return api.create_response(request, {"detail": _("Not found, or not in your jurisdiction.")}, status=404)


api.add_router("/places/", places_router)
api.add_router("/", registry_router)
api.add_router("/catalogue/", market_router)
api.add_router("/trade/", trade_router)
api.add_router("/inquiries/", inquiries_router)
api.add_router("/statistics/", reports_router)
