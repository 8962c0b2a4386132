from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates.conf import public_base_url
from market import selectors_catalogue as catalogue
from registry import access, selectors
from registry.forms import ApiTokenForm
from registry.models import ApiToken
from registry.services_people import api_token_create, api_token_revoke


def home(request):
    """The public catalogue's home: a search box, the highest-rated products, entries by star,
    OCOP group and province (market.selectors_catalogue)."""
    today = timezone.localdate()
    public = catalogue.catalogue_products(today=today)
    english = (get_language() or "vi") != "vi"
    context = {
        "products": catalogue.featured_products(today=today),
        "stars": catalogue.star_counts(public),
        "groups": catalogue.group_counts(public, english=english),
        "provinces": catalogue.province_counts(public),
        "browse_url": reverse("market:browse"),
        "canonical": public_base_url() + reverse("web:home"),
    }
    return render(request, "web/home.html", context)


@login_required
def dashboard(request):
    scope = access.scope_of(request.user)
    if scope.is_entity_member and not scope.is_official:
        return redirect("registry:my_products")
    products = selectors.products_visible_to(request.user)
    entities = selectors.entities_visible_to(request.user)
    return render(
        request,
        "web/dashboard.html",
        {
            "product_count": products.count(),
            "entity_count": entities.count(),
        },
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "web/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is not None:
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token was revoked."))
    return redirect("web:api_tokens")


def health(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
