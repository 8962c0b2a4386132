"""The monthly report of each province (issue 9): after a month ends, the province officials receive by
e-mail the month's figures, with the report as PDF and XLSX attached. Sent by the task
reports.tasks.monthly_reports (which schedules its next run itself) or `manage.py send_monthly_reports`.

A province's report for a month is sent once (reports.MonthlyReport); a province without an official
with an e-mail address is skipped and tried again on the next run. The text is Vietnamese, as
provinces file their reports."""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from audit.services import audit_record
from certificates.conf import public_base_url
from places.models import Province
from registry.models import Role
from reports import exports, figures
from reports.details import details
from reports.figures_activity import month_start
from reports.jurisdiction import Jurisdiction
from reports.models import MonthlyReport
from reports.pdf import report_pdf
from reports.summary import plan_period, summary

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def month_end(month: date) -> date:
    return month_start(month, -1) - timedelta(days=1)


def previous_month(today: date) -> date:
    """The month a run on `today` reports: the last one that has ended."""
    return month_start(today, 1)


def recipients(province: Province) -> list:
    """Active users with a province-official role for the province and an e-mail address."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            ocop_roles__kind=Role.Kind.PROVINCE,
            ocop_roles__province=province,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return list(users)


def monthly_message(province: Province, month: date, readers: list) -> EmailMessage:
    """The month's e-mail for the province: figures on the last day of the month, what was decided in
    the month, and the report attached (PDF and XLSX, the dashboard's numbers), to `readers` (recipients()).
    Demand is shown as the first of them sees it (any official of the province reads the same)."""
    on = month_end(month)
    area = Jurisdiction(province=province)
    with translation.override("vi"):
        s = summary(area, on, period=plan_period(on.year))
        d = details(readers[0], s)
        query = f"province={province.code}&on={on.isoformat()}"
        context = {
            "province": province,
            "month": month,
            "s": s,
            "stars": figures.STARS,
            "first_certified_in_month": figures.first_certified(area, month, on),
            "decisions_in_month": figures.certifications(area, month, on),
            "dashboard_url": f"{public_base_url()}{reverse('reports:dashboard')}?{query}",
        }
        subject = " ".join(render_to_string("reports/email/monthly_subject.txt", context).split())
        body = render_to_string("reports/email/monthly.txt", context).strip() + "\n"
        name = f"ocop-report-{province.code}-{on.isoformat()}"
        message = EmailMessage(subject, body, to=[u.email for u in readers])
        message.attach(f"{name}.pdf", report_pdf(s, d), "application/pdf")
        message.attach(f"{name}.xlsx", exports.as_xlsx(s, d), XLSX)
    return message


@dataclass
class MonthlyRun:
    month: date
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    without_recipients: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "month": self.month.isoformat(),
            "sent": self.sent,
            "already_sent": len(self.already_sent),
            "without_recipients": len(self.without_recipients),
            "failed": self.failed,
        }


def monthly_reports_send(month: date, *, provinces: list[str] | None = None) -> MonthlyRun:
    """Send the month's report to every province (or those named) not yet sent. One province's failure
    (an unreachable mail server) is logged and does not stop the others; it is retried on the next run."""
    month = month.replace(day=1)
    run = MonthlyRun(month=month)
    done = set(MonthlyReport.objects.filter(month=month).values_list("province_id", flat=True))
    chosen = Province.objects.all() if provinces is None else Province.objects.filter(code__in=provinces)
    for province in chosen.order_by("code"):
        if province.code in done:
            run.already_sent.append(province.code)
            continue
        readers = recipients(province)
        if not readers:
            run.without_recipients.append(province.code)
            continue
        try:
            with transaction.atomic():
                record = MonthlyReport.objects.create(
                    province=province, month=month, reference_date=month_end(month), recipients=len(readers)
                )
                monthly_message(province, month, readers).send()
                audit_record(
                    actor=None,
                    action="report.monthly_sent",
                    obj=record,
                    after={"month": month.isoformat(), "recipients": len(readers)},
                )
        except IntegrityError:  # another worker sent it meanwhile
            run.already_sent.append(province.code)
        except Exception:
            logger.exception("Monthly OCOP report of %s for %s not sent", province.code, month)
            run.failed.append(province.code)
        else:
            run.sent.append(province.code)
    return run
