"""Lapse at the end of validity, re-evaluation reminders, the daily command and Task."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit.models import AuditEvent
from certificates.models import Certificate, CertificateEvent
from certificates.services_lifecycle import certificates_lapse, reevaluation_reminders
from certificates.tasks import certificates_daily
from evaluation.models import Dossier
from registry.models import Product
from registry.services import product_set_status
from tests.certificates.factories import import_past, make_dossier
from tests.factories import make_entity, make_product

pytestmark = pytest.mark.django_db

VALID_UNTIL = date(2027, 6, 30)
OPENS = VALID_UNTIL - timedelta(days=180)  # 2027-01-01
CLOSES = VALID_UNTIL - timedelta(days=120)  # 2027-03-02


class TestLapse:
    def test_it_lapses_a_certificate_past_its_last_day_once(self):
        certificate = import_past(valid_until=date(2026, 3, 31))
        current = import_past(valid_until=date(2026, 4, 1))
        assert certificates_lapse(today=date(2026, 4, 1)) == 1
        assert certificates_lapse(today=date(2026, 4, 1)) == 0
        certificate.refresh_from_db()
        current.refresh_from_db()
        assert certificate.status == Certificate.Status.EXPIRED
        assert current.status == Certificate.Status.VALID  # valid on its last day
        lapse = certificate.events.get(kind=CertificateEvent.Kind.LAPSE)
        assert lapse.at == date(2026, 4, 1)
        assert Product.objects.get(pk=certificate.product_id).status == Product.Status.EXPIRED
        assert (
            AuditEvent.objects.filter(action="certificate.lapse", object_id=str(certificate.pk)).count() == 1
        )

    def test_a_late_run_dates_the_lapse_on_the_day_after_validity(self):
        certificate = import_past(valid_until=date(2026, 3, 31))
        assert certificates_lapse(today=date(2026, 5, 20)) == 1
        assert certificate.events.get(kind=CertificateEvent.Kind.LAPSE).at == date(2026, 4, 1)

    def test_a_product_in_re_evaluation_keeps_its_status(self):
        certificate = import_past(valid_until=date(2026, 3, 31))
        product_set_status(actor=None, product=certificate.product, status=Product.Status.IN_EVALUATION)
        certificates_lapse(today=date(2026, 4, 2))
        assert Product.objects.get(pk=certificate.product_id).status == Product.Status.IN_EVALUATION


class TestReminders:
    def test_it_reminds_when_the_window_opens_and_a_week_before_it_closes(self):
        certificate = import_past(valid_until=VALID_UNTIL)
        [opens] = reevaluation_reminders(today=OPENS)
        assert (opens.certificate, opens.kind, opens.file_from, opens.file_until) == (
            certificate,
            "opens",
            OPENS,
            CLOSES,
        )
        assert reevaluation_reminders(today=OPENS + timedelta(days=1)) == []
        assert reevaluation_reminders(today=CLOSES - timedelta(days=8)) == []
        for days_left in range(8):
            [closes] = reevaluation_reminders(today=CLOSES - timedelta(days=days_left))
            assert closes.kind == "closes"
        assert reevaluation_reminders(today=CLOSES + timedelta(days=1)) == []

    def test_it_does_not_remind_a_product_that_has_filed(self):
        certificate = import_past(valid_until=VALID_UNTIL)
        dossier = make_dossier(product=certificate.product, kind=Dossier.Kind.REEVALUATION)
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=timezone.now())
        assert reevaluation_reminders(today=CLOSES) == []

    def test_a_replaced_certificate_gets_no_reminder(self):
        import_past(valid_until=VALID_UNTIL, status=Certificate.Status.SUPERSEDED)
        assert reevaluation_reminders(today=OPENS) == []


class TestDailyJob:
    def _certificate(self, email="htx@example.vn"):
        product = make_product(entity=make_entity(email=email), name="Mật ong bạc hà")
        return import_past(product=product, valid_until=VALID_UNTIL)

    def test_the_command_lapses_and_sends_each_reminder_once_in_vietnamese(self):
        certificate = self._certificate()
        old = import_past(valid_until=OPENS - timedelta(days=1))
        out = StringIO()
        call_command("expire_certificates", "--today", OPENS.isoformat(), stdout=out)
        assert "1 certificate(s) lapsed, 1 reminder(s) sent" in out.getvalue()
        old.refresh_from_db()
        assert old.status == Certificate.Status.EXPIRED
        [message] = mail.outbox
        assert message.to == ["htx@example.vn"]
        assert "Đã đến thời hạn nộp hồ sơ đánh giá, phân hạng lại" in message.subject
        assert certificate.number in message.subject
        assert "Mật ong bạc hà" in message.body
        assert "từ ngày 01/01/2027 đến hết ngày 02/03/2027" in message.body
        assert f"/verify/{certificate.verification_code}" in message.body
        call_command("expire_certificates", "--today", OPENS.isoformat(), stdout=StringIO())
        assert len(mail.outbox) == 1

    def test_an_entity_without_email_is_counted_not_failed(self):
        self._certificate(email="")
        out = StringIO()
        call_command("expire_certificates", "--today", OPENS.isoformat(), stdout=out)
        assert "1 without an e-mail address" in out.getvalue()
        assert mail.outbox == []

    def test_the_command_refuses_a_bad_date(self):
        with pytest.raises(CommandError, match="--today must be a date"):
            call_command("expire_certificates", "--today", "30/06/2027")

    def test_the_loop_runs_the_job_then_sleeps(self, monkeypatch):
        self._certificate()
        slept = []

        class Stop(Exception):
            pass

        def sleep(seconds):
            slept.append(seconds)
            raise Stop

        monkeypatch.setattr("certificates.management.commands.expire_certificates.time.sleep", sleep)
        out = StringIO()
        with pytest.raises(Stop):
            call_command("expire_certificates", "--loop", "--interval", "600", stdout=out)
        assert slept == [600]
        assert timezone.localdate().isoformat() in out.getvalue()
        with pytest.raises(CommandError, match="do not go together"):
            call_command("expire_certificates", "--loop", "--today", "2027-01-01")

    def test_the_task_runs_the_same_job(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
        self._certificate()
        result = certificates_daily.enqueue(OPENS.isoformat())
        assert result.return_value == {
            "lapsed": 0,
            "reminded": 1,
            "already_reminded": 0,
            "without_email": 0,
            "failed": 0,
        }
        assert len(mail.outbox) == 1
