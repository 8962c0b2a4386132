"""The monthly report of each province: e-mailed to its officials with the PDF and XLSX, once, by a
task that schedules its next run."""

import io
from datetime import date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from audit.models import AuditEvent
from registry.models import Role
from reports import figures
from reports.jurisdiction import Jurisdiction
from reports.models import MonthlyReport
from reports.monthly import monthly_reports_send, previous_month
from reports.summary import plan_period
from reports.tasks import monthly_reports, monthly_reports_schedule, next_run
from tests.factories import make_user, with_role
from tests.reports.records import lang_son, province

pytestmark = pytest.mark.django_db
FEBRUARY = date(2025, 2, 1)


@pytest.fixture
def ls():
    data = lang_son()
    area = data["province"]
    data["officials"] = [with_role(make_user(), Role.Kind.PROVINCE, province=area) for _ in range(2)]
    with_role(make_user(email=""), Role.Kind.PROVINCE, province=area)  # no address: not written to
    with_role(make_user(is_active=False), Role.Kind.PROVINCE, province=area)
    with_role(make_user(), Role.Kind.NATIONAL)
    with_role(make_user(), Role.Kind.COMMUNE, commune=data["communes"][0])
    data["elsewhere"] = with_role(make_user(), Role.Kind.PROVINCE, province=province("Cao Bằng"))
    return data


def _only(run_province: str):
    return [m for m in mail.outbox if run_province in m.subject]


def test_each_province_official_gets_the_months_figures_with_the_pdf_and_xlsx(ls):
    run = monthly_reports_send(FEBRUARY)
    area = ls["province"]
    assert set(run.sent) == {area.code, ls["elsewhere"].ocop_roles.get().province_id}
    [message] = _only(area.name)
    assert sorted(message.to) == sorted(u.email for u in ls["officials"])
    assert message.subject == f"Báo cáo OCOP tháng 02/2025: {area.name}"
    end = date(2025, 2, 28)
    current = figures.current_total(Jurisdiction(province=area), end)
    assert f"Sản phẩm OCOP còn hiệu lực: {current}" in message.body
    # 28 products of the records were first certified between 1 and 28 February 2025.
    assert "Sản phẩm được công nhận lần đầu: 28" in message.body
    assert f"?province={area.code}&on=2025-02-28" in message.body
    (pdf_name, pdf, pdf_type), (xlsx_name, xlsx, _xlsx_type) = message.attachments
    assert (pdf_name, pdf_type) == (f"ocop-report-{area.code}-2025-02-28.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF")
    assert xlsx_name == f"ocop-report-{area.code}-2025-02-28.xlsx"
    sheet = load_workbook(io.BytesIO(xlsx))["Sản phẩm OCOP"]
    totals = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Tổng"]
    assert totals[0][-1] == current


def test_a_second_run_sends_nothing_again(ls):
    monthly_reports_send(FEBRUARY)
    sent = len(mail.outbox)
    run = monthly_reports_send(date(2025, 2, 17))  # any day of the month names the month
    assert run.sent == [] and len(run.already_sent) == 2
    assert len(mail.outbox) == sent
    record = MonthlyReport.objects.get(province=ls["province"], month=FEBRUARY)
    assert (record.reference_date, record.recipients) == (date(2025, 2, 28), 2)
    assert AuditEvent.objects.filter(action="report.monthly_sent").count() == 2


def test_a_province_without_an_official_is_tried_again_later(ls):
    area = province("Tuyên Quang")
    run = monthly_reports_send(FEBRUARY, provinces=[area.code])
    assert (run.sent, run.without_recipients) == ([], [area.code])
    assert not MonthlyReport.objects.filter(province=area).exists()
    with_role(make_user(), Role.Kind.PROVINCE, province=area)
    assert monthly_reports_send(FEBRUARY, provinces=[area.code]).sent == [area.code]


def test_a_mail_server_failure_is_retried_on_the_next_run(ls, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    run = monthly_reports_send(FEBRUARY, provinces=[ls["province"].code])
    assert run.failed == [ls["province"].code]
    assert not MonthlyReport.objects.exists()
    monkeypatch.undo()
    assert monthly_reports_send(FEBRUARY, provinces=[ls["province"].code]).sent == [ls["province"].code]


def test_the_report_uses_the_plan_period_of_the_month():
    assert plan_period(2025) == (2021, 2025)
    assert plan_period(2026) == (2026, 2030)
    assert previous_month(date(2026, 1, 3)) == date(2025, 12, 1)


def test_the_command_sends_and_refuses_bad_options(ls):
    out = StringIO()
    call_command("send_monthly_reports", month="2025-02", province=[ls["province"].code], stdout=out)
    assert out.getvalue().startswith("02/2025: sent to 1 province(s)")
    with pytest.raises(CommandError, match="--month must look like 2026-11"):
        call_command("send_monthly_reports", month="02/2025")
    with pytest.raises(CommandError, match="Unknown province code"):
        call_command("send_monthly_reports", province=["99"])
    with pytest.raises(CommandError, match="cannot be in the future"):
        call_command("send_monthly_reports", month=f"{timezone.localdate().year + 1}-01")


def test_the_task_schedules_itself_for_the_first_of_next_month(ls):
    now = timezone.make_aware(datetime(2025, 3, 14, 10, 0))
    when = monthly_reports_schedule(now=now)
    assert timezone.localtime(when).replace(tzinfo=None) == datetime(2025, 4, 1, 6, 0)
    assert monthly_reports_schedule(now=now) == when  # not enqueued twice
    waiting = DBTaskResult.objects.filter(
        task_path=monthly_reports.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    assert next_run(timezone.make_aware(datetime(2025, 12, 31, 23, 0))).date() == date(2026, 1, 1)


def test_the_task_sends_the_month_and_schedules_the_next(ls):
    result = monthly_reports.call(month="2025-02-10")
    assert ls["province"].code in result["sent"]
    assert DBTaskResult.objects.filter(task_path=monthly_reports.module_path).count() == 1


def test_a_backend_that_cannot_defer_schedules_nothing(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert monthly_reports_schedule() is None
    with pytest.raises(CommandError, match="cannot run tasks later"):
        call_command("send_monthly_reports", schedule=True)
