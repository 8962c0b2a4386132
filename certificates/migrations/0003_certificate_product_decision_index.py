# The reports ask, for every certificate, whether its product has a later decision
# (reports.figures.latest_certificates): by product and decision date.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["product", "decision_date"], name="certificate_product_decided"),
        ),
    ]
