"""PIPL: the consignor's identity document number encrypted at rest (core/encryption.py);
the rows stored before are encrypted here, in batches."""

from django.db import migrations

import core.encryption

BATCH = 1000


def encrypt_rows(apps, schema_editor):
    Detention = apps.get_model("detentions", "Detention")
    rows = Detention.objects.exclude(consignor_id_number="").only("pk", "consignor_id_number")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(row)  # read as plain text; written back through the field: encrypted
        if len(batch) == BATCH:
            Detention.objects.bulk_update(batch, ["consignor_id_number"])
            batch = []
    if batch:
        Detention.objects.bulk_update(batch, ["consignor_id_number"])


def decrypt_rows(apps, schema_editor):
    Detention = apps.get_model("detentions", "Detention")
    rows = Detention.objects.exclude(consignor_id_number="")
    # Read through the field (decrypted), written in SQL (the field would encrypt again).
    plain = [(value, pk) for pk, value in rows.values_list("pk", "consignor_id_number")]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE detentions_detention SET consignor_id_number = %s WHERE id = %s", plain
        )


class Migration(migrations.Migration):
    dependencies = [
        ("detentions", "0006_personal_data_reads"),
    ]

    operations = [
        migrations.AlterField(
            model_name="detention",
            name="consignor_id_number",
            field=core.encryption.EncryptedCharField(
                blank=True, max_length=320, verbose_name="consignor identity document"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
