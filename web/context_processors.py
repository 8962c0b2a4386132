from registry import access


def navigation(request):
    scope = access.scope_of(getattr(request, "user", None))
    return {"scope": scope}
