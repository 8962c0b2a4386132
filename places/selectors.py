from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ocop_hub.text import fold
from places.models import Commune, Province


def provinces_list() -> QuerySet[Province]:
    return Province.objects.all()


def communes_list(*, province_code: str | None = None, query: str = "") -> QuerySet[Commune]:
    """Communes, optionally of one province, matched on the current or a former name without diacritics."""
    qs = Commune.objects.select_related("province")
    if province_code:
        qs = qs.filter(province_id=province_code)
    folded = fold(query)
    if folded:
        for prefix in ("xa ", "phuong ", "dac khu ", "thi tran "):
            if folded.startswith(prefix):
                folded = folded[len(prefix) :]
                break
        # A unit's current name ranks before units that merely include a former unit of that name.
        qs = (
            qs.filter(Q(name_folded__contains=folded) | Q(former_folded__contains=folded))
            .annotate(
                rank=Case(
                    When(name_folded__endswith=f" {folded}", then=Value(0)),
                    When(name_folded__contains=folded, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "province_id", "name_folded")
        )
    return qs
