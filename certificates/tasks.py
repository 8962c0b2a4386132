"""The certificates' daily job: lapse what has passed its validity, then remind entities whose
re-evaluation window opens today or closes within a week (Art. 7.6.a). Run by
`manage.py expire_certificates` (from cron, or with --loop), or enqueued as a Task."""

import logging
from dataclasses import asdict, dataclass
from datetime import date

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from audit.selectors import events_for
from audit.services import audit_record
from certificates.selectors import verification_url
from certificates.services_lifecycle import ReevaluationReminder, certificates_lapse, reevaluation_reminders

logger = logging.getLogger(__name__)

REMINDER_ACTION = "certificate.reminder"


@dataclass
class DailyReport:
    lapsed: int = 0
    reminded: int = 0
    already_reminded: int = 0
    without_email: int = 0
    failed: int = 0


def _reminder_message(reminder: ReevaluationReminder) -> tuple[str, str]:
    certificate = reminder.certificate
    context = {
        "certificate": certificate,
        "entity": certificate.entity,
        "product_name": certificate.product.name_vi,
        "kind": reminder.kind,
        "file_from": reminder.file_from,
        "file_until": reminder.file_until,
        "earliest_days": (certificate.valid_until - reminder.file_from).days,
        "latest_days": (certificate.valid_until - reminder.file_until).days,
        "verify_url": verification_url(certificate),
    }
    subject = render_to_string("certificates/email/reevaluation_reminder_subject.txt", context)
    body = render_to_string("certificates/email/reevaluation_reminder.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def reevaluation_reminders_send(*, today: date, report: DailyReport) -> None:
    """One e-mail per certificate and window event ("opens", "closes"), whichever day or however
    often the job runs: each one sent is recorded in the audit log and not sent again."""
    for reminder in reevaluation_reminders(today=today):
        certificate = reminder.certificate
        key = {"kind": reminder.kind, "file_until": reminder.file_until.isoformat()}
        sent_before = events_for(certificate).filter(
            action=REMINDER_ACTION, after__kind=key["kind"], after__file_until=key["file_until"]
        )
        if sent_before.exists():
            report.already_reminded += 1
            continue
        email = certificate.entity.email
        if not email:
            report.without_email += 1
            continue
        subject, body = _reminder_message(reminder)
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # one unreachable mailbox must not stop the others; retried next run
            logger.exception("Re-evaluation reminder for certificate %s not sent", certificate.number)
            report.failed += 1
            continue
        audit_record(actor=None, action=REMINDER_ACTION, obj=certificate, after={**key, "to": email})
        report.reminded += 1


def certificates_daily_run(*, today: date) -> DailyReport:
    report = DailyReport(lapsed=certificates_lapse(today=today))
    reevaluation_reminders_send(today=today, report=report)
    return report


@task
def certificates_daily(today: str | None = None) -> dict[str, int]:
    """The daily job as a Task (`today` as an ISO date, for a catch-up run; default: today)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return asdict(certificates_daily_run(today=day))
