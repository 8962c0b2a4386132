from django.shortcuts import render

from places.selectors import communes_list


def commune_options(request):
    """<option>s of one province's communes, swapped into the commune select by htmx."""
    province = request.GET.get("province", "")
    communes = communes_list(province_code=province) if province else []
    return render(request, "places/commune_options.html", {"communes": communes})
