"""The case-number sequence and the starting list of no-penalty criteria (R24).

The criteria for "no penalty" in GACC 2023 No. 198 are not confirmed in public sources;
these rows are a starting point that GACC officers edit in the admin (data, not code)."""

from django.db import migrations

CRITERIA = [
    ("first-minor", "First violation, small quantity, promptly corrected, no harmful consequences."),
    ("personal-use-small", "Small quantity carried or mailed for personal use that slightly "
     "exceeds a reasonable personal quantity (R26)."),
    ("voluntary-disclosure", "Violation disclosed to customs by the party itself before "
     "discovery, no harmful consequences."),
]


def load_criteria(apps, schema_editor):
    Criterion = apps.get_model("detentions", "NoPenaltyCriterion")
    for code, description in CRITERIA:
        Criterion.objects.get_or_create(code=code, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("detentions", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS detention_number_seq",
            "DROP SEQUENCE IF EXISTS detention_number_seq",
        ),
        migrations.RunPython(load_criteria, migrations.RunPython.noop),
    ]
