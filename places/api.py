from ninja import Router, Schema

from places.selectors import communes_list, provinces_list

router = Router(tags=["places"])


class ProvinceOut(Schema):
    code: str
    name: str
    division_type: str
    former_names: str


class CommuneOut(Schema):
    code: str
    name: str
    division_type: str
    province_id: str
    former_names: str


@router.get("/provinces", response=list[ProvinceOut])
def list_provinces(request):
    return provinces_list()


@router.get("/provinces/{code}/communes", response=list[CommuneOut])
def list_communes(request, code: str, q: str = ""):
    return communes_list(province_code=code, query=q)


@router.get("/communes", response=list[CommuneOut])
def search_communes(request, q: str, province: str = ""):
    """Find a commune by current or former name, with or without diacritics ("che cu nha")."""
    return communes_list(province_code=province or None, query=q)[:50]
