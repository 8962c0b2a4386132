from django.core.management.base import BaseCommand

from inquiries.services import inquiries_close_ended


class Command(BaseCommand):
    help = "Close buyer inquiries whose delivery window has ended (run once a day)."

    def handle(self, *args, **options):
        closed = inquiries_close_ended()
        self.stdout.write(f"Closed {closed} inquiries whose delivery window ended.")
