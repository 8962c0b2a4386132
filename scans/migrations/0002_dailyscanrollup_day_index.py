# The reports' scans per product and month (reports.figures_activity) read the daily rollups of a few
# months for a whole area: by day range, covering the sums, so the table itself is not read (issue 9's
# bench: 10 million scans, 2.3 million rollups).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scans", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dailyscanrollup",
            index=models.Index(fields=["day", "product", "scans", "visitors"], name="scans_rollup_day_sums"),
        ),
    ]
