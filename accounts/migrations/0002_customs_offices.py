from django.db import migrations


def load(apps, schema_editor):
    from accounts.reference import load_customs_offices

    load_customs_offices(apps.get_model("accounts", "Organisation"), apps.get_model("accounts", "Port"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
