"""A district's and a holder's report read their own cases of the period, not the
country's (issue 21). Built concurrently: a busy table stays writable meanwhile."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("detentions", "0007_encrypt_consignor_id_number")]

    operations = [
        AddIndexConcurrently(
            model_name="detention",
            index=models.Index(fields=["office", "opened_on"], name="detention_office_opened_idx"),
        ),
        AddIndexConcurrently(
            model_name="detention",
            index=models.Index(fields=["holder", "opened_on"], name="detention_holder_opened_idx"),
        ),
    ]
