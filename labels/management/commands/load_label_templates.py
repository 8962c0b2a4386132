from django.core.management.base import BaseCommand

from labels.services import templates_load


class Command(BaseCommand):
    help = "Load the built-in label templates (labels/data/templates.json); safe to run again."

    def handle(self, *args, **options):
        self.stdout.write(f"Label templates: {templates_load()} loaded.")
