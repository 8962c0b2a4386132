"""The officials' dashboard (nation → province → commune), its CSV/XLSX exports, the target form and
the public statistics page. Thin: parse, resolve the area (reports.jurisdiction), call the figures."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from places.models import Province
from registry import access
from reports import charts, exports, figures, maps
from reports.details import details
from reports.jurisdiction import NATION, Jurisdiction, jurisdiction_for
from reports.models import Target
from reports.pdf import report_pdf
from reports.services import target_set
from reports.summary import DEFAULT_SINCE_YEAR, Summary, plan_period, rows_title, summary
from web.refusals import show_refusal

FIRST_REPORT_YEAR = 2008  # the earliest OCOP programme (Quảng Ninh); years before are typos
# The most scanned products per month: the page shows 10 (reports.details), the files more.
EXPORT_SCAN_ROWS = 2000
PDF_SCAN_ROWS = 30


def _area(request) -> Jurisdiction:
    try:
        return jurisdiction_for(
            request.user,
            province=request.GET.get("province", "").strip(),
            commune=request.GET.get("commune", "").strip(),
        )
    except ObjectDoesNotExist as exc:
        raise Http404(_("Not found, or not in your jurisdiction.")) from exc


def _year(raw: str, default: int, today: date) -> int | None:
    try:
        year = int(raw)
    except ValueError:
        return None if raw else default
    return year if FIRST_REPORT_YEAR <= year <= today.year + 10 else None


def _options(request) -> tuple[date, tuple[int, int], int, list[str]]:
    """The reference date, the period and the "since" year from the query; a bad value is reported and
    replaced by its default, never an error page."""
    today = timezone.localdate()
    problems: list[str] = []
    on = today
    raw_on = request.GET.get("on", "").strip()
    if raw_on:
        try:
            on = date.fromisoformat(raw_on)
        except ValueError:
            problems.append(_("Give the reference date as year-month-day, e.g. 2025-11-20; today is shown."))
        else:
            if on > today:
                problems.append(_("The reference date cannot be in the future; today is shown."))
                on = today
    default = plan_period(on.year)
    first = _year(request.GET.get("from", "").strip(), default[0], today)
    last = _year(request.GET.get("to", "").strip(), default[1], today)
    if first is None or last is None or last < first:
        problems.append(
            _(
                "Give the period as two years, the first not after the last (e.g. 2021 and 2025); "
                "%(first)s–%(last)s is shown."
            )
            % {"first": default[0], "last": default[1]}
        )
        first, last = default
    since = _year(request.GET.get("since", "").strip(), DEFAULT_SINCE_YEAR, today)
    if since is None:
        problems.append(
            _("Give the first year of the cumulative count, e.g. 2019; %(year)s is shown.")
            % {"year": DEFAULT_SINCE_YEAR}
        )
        since = DEFAULT_SINCE_YEAR
    return on, (first, last), since, problems


def _query(area: Jurisdiction, s: Summary, **extra) -> str:
    params = {"on": s.on.isoformat(), "from": s.period[0], "to": s.period[1], "since": s.since_year}
    if area.province is not None:
        params["province"] = area.province.code
    if area.commune is not None:
        params["commune"] = area.commune.code
    params.update(extra)
    return urlencode(params)


def _summary(request) -> tuple[Jurisdiction, Summary]:
    area = _area(request)
    on, period, since, problems = _options(request)
    for problem in problems:
        messages.error(request, problem)
    return area, summary(area, on, period=period, since_year=since)


@login_required
@require_safe
def dashboard(request):
    area, s = _summary(request)
    scope = access.scope_of(request.user)
    drill = []
    for row in s.rows:
        link = ""
        if s.rows_by == "province":
            link = "?" + _query(NATION, s, province=row.key)
        elif s.rows_by == "commune" and area.province is not None:
            link = "?" + _query(area, s, commune=row.key)
        drill.append((row, link))
    up = ""
    if area.commune is not None and (scope.national or area.province.code in scope.provinces):
        up = "?" + _query(Jurisdiction(province=area.province), s)
    elif area.commune is None and area.province is not None and scope.national:
        up = "?" + _query(NATION, s)
    may_set_targets = area.commune is None and access.is_province_official(
        request.user, area.province.code if area.province else None
    )
    title = rows_title(s.rows_by)
    d = details(request.user, s)
    map_rows = maps.communes_map_rows(area, s.on, s.rows)
    link = None if area.commune else (lambda code: "?" + _query(area, s, commune=code))
    return render(
        request,
        "reports/dashboard.html",
        {
            "s": s,
            "area": area,
            "drill": drill,
            "up": up,
            "query": _query(area, s),
            "d": d,
            "map": maps.communes_map(area, s.on, s.rows, map_rows=map_rows, link=link),
            "map_rows": map_rows,
            "stars": figures.STARS,
            "may_set_targets": may_set_targets,
            "target_kinds": Target.Kind.choices,
            "rows_title": title,
            # Drawn from the same rows as the tables next to them (reports.charts).
            "charts": {
                "areas": charts.stars_by_area(s.rows, title=title),
                "events": charts.events_per_year(s.events),
                "expiring": charts.expiring_per_month(d.expiring_months),
            },
        },
    )


def _filename(area: Jurisdiction, s: Summary, ext: str) -> str:
    code = area.commune.code if area.commune else area.province.code if area.province else "VN"
    return f"ocop-report-{code}-{s.on.isoformat()}.{ext}"


@login_required
@require_safe
def dashboard_csv(request):
    area, s = _summary(request)
    response = HttpResponse(
        exports.as_csv(s, details(request.user, s, scan_rows=EXPORT_SCAN_ROWS)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(area, s, "csv")}"'
    return response


@login_required
@require_safe
def dashboard_xlsx(request):
    area, s = _summary(request)
    response = HttpResponse(
        exports.as_xlsx(s, details(request.user, s, scan_rows=EXPORT_SCAN_ROWS)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(area, s, "xlsx")}"'
    return response


@login_required
@require_safe
def dashboard_pdf(request):
    """The dashboard as an A4 report with its charts (reports.pdf), in the page's language."""
    area, s = _summary(request)
    pdf = report_pdf(s, details(request.user, s, scan_rows=PDF_SCAN_ROWS))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(area, s, "pdf")}"'
    return response


@login_required
@require_POST
def target_form(request):
    """Set a target of the province (or the nation) the form names; back to its dashboard."""
    code = request.POST.get("province", "").strip()
    province = None
    if code:
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise Http404(_("Not found, or not in your jurisdiction."))
    try:
        target = target_set(
            actor=request.user,
            province=province,
            kind=request.POST.get("kind", ""),
            start_year=request.POST.get("start_year", ""),
            end_year=request.POST.get("end_year", ""),
            value=request.POST.get("value", ""),
            source=request.POST.get("source", ""),
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            _("Target saved: %(kind)s %(first)s–%(last)s = %(value)s.")
            % {
                "kind": target.get_kind_display(),
                "first": target.start_year,
                "last": target.end_year,
                "value": target.value,
            },
        )
    url = reverse("reports:dashboard")
    return redirect(f"{url}?{urlencode({'province': code})}" if code else url)


@require_safe
def statistics(request):
    """Public figures only: current OCOP products per province and star, today. No names, no
    entities, nothing about expiries or revocations (those are for officials)."""
    today = timezone.localdate()
    rows = figures.current_by(NATION, today, "province")
    groups = figures.current_by(NATION, today, "group")
    per_star = figures.current_per_star(NATION, today)
    return render(
        request,
        "reports/statistics.html",
        {
            "rows": rows,
            "groups": groups,
            "per_star": per_star,
            "total": sum(per_star.values()),
            "today": today,
            "stars": figures.STARS,
        },
    )
