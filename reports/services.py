"""Writes of the reports app: a province's (or the nation's) programme targets. Audited in the same
transaction, like every service (DESIGN.md)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import plain_text
from places.models import Province
from registry import access
from reports.models import Target

# Programme periods are five-year plans from 2021 on; a wide margin, but a typo like 20300 is refused.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def target_set(
    *, actor, province: Province | None, kind: str, start_year, end_year, value, source: str
) -> Target:
    """Set (create or replace) the target of a province — or of the nation when `province` is None —
    for a kind and a period. Officials of that province set its targets; national officials any."""
    if not access.is_province_official(actor, province.code if province else None):
        if province is None:
            raise PermissionDenied(_("Only a national official can set national targets."))
        raise PermissionDenied(
            _("Only an official of %(province)s or a national official can set its targets.")
            % {"province": province.name}
        )
    errors: dict[str, list[str]] = {}
    if kind not in Target.Kind.values:
        errors["kind"] = [_("Choose what the target counts.")]
    years = []
    for name, raw in (("start_year", start_year), ("end_year", end_year)):
        try:
            year = int(raw)
        except (TypeError, ValueError):
            year = 0
        if not FIRST_YEAR <= year <= LAST_YEAR:
            errors[name] = [
                _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ]
        years.append(year)
    if not errors.keys() & {"start_year", "end_year"} and years[1] < years[0]:
        errors["end_year"] = [_("The last year cannot be before the first year.")]
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        errors["value"] = [_("Enter the target as a whole number above zero.")]
    try:
        source = plain_text(source or "", field="source")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if not source:
            errors["source"] = [_("Give the decision that sets this target (number, date, issuer).")]
    if errors:
        raise ValidationError(errors)
    start, end = years
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(province=province, kind=kind, start_year=start, end_year=end)
            .first()
        )
        before = snapshot(target) if target else None
        if target is None:
            target = Target(province=province, kind=kind, start_year=start, end_year=end)
        target.value = value
        target.source = source
        target.set_by = actor if getattr(actor, "is_authenticated", False) else None
        target.save()
        audit_record(
            actor=actor,
            action="target.set",
            obj=target,
            before=before,
            after=snapshot(target, ["province", "kind", "start_year", "end_year", "value", "source"]),
        )
    return target
