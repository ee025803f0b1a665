from django.db import migrations


def load(apps, schema_editor):
    from deadlines.reference import load_chinesecalendar

    load_chinesecalendar(
        apps.get_model("deadlines", "CalendarDay"), apps.get_model("deadlines", "CalendarYear")
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
