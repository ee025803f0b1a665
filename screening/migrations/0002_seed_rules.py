"""The screening rules with their default weights (officers tune them in the admin), and
the snapshot's version row. Names are stored in English and shown translated."""

from django.db import migrations

RULES = [
    ("mark", "Recorded mark or a variant of it", 60, None),
    ("mark_fuzzy", "Misspelled recorded mark", 50, None),
    ("hs_code", "HS code of the genuine goods", 10, None),
    ("low_price", "Unit price far below the genuine price", 20, 0.5),
    ("known_infringer", "Known infringer", 45, 90.0),
    ("past_infringer", "Party of a past infringing case", 35, 90.0),
    ("campaign_focus", "Inside a running campaign's focus", 5, None),
    ("priority_holder", "Right of a priority enterprise", 5, None),
    ("authorised", "Authorised supply chain (holder or licensee)", -50, 90.0),
]


def seed(apps, schema_editor):
    rule = apps.get_model("screening", "ScreeningRule")
    for code, name, weight, threshold in RULES:
        rule.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight, "threshold": threshold}
        )
    apps.get_model("screening", "SnapshotVersion").objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("screening", "ScreeningRule").objects.filter(
        code__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
