import core.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_customs_offices'),
        ('recordals', '0002_statistics_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='recordal',
            name='ended_on',
            field=models.DateField(blank=True, help_text='The last day an expired, cancelled or revoked recordal was in force.', null=True, verbose_name='in force until'),
        ),
        migrations.AddField(
            model_name='recordalevent',
            name='on',
            field=models.DateField(default=core.timezone.local_today, verbose_name='legal date'),
        ),
        # Events keep their legal date; ended recordals the last day they were in force
        # (R7): the term's end or the right's lapse for expired ones, the decision's day
        # for cancelled and revoked ones.
        migrations.RunSQL(
            sql="""
                UPDATE recordals_recordalevent
                   SET "on" = (at AT TIME ZONE 'Asia/Shanghai')::date;
                UPDATE recordals_recordal AS r
                   SET ended_on = LEAST(r.valid_until, COALESCE(r.right_valid_until, r.valid_until))
                 WHERE r.status = 'expired';
                UPDATE recordals_recordal AS r
                   SET ended_on = (SELECT e."on" FROM recordals_recordalevent AS e
                                    WHERE e.recordal_id = r.id AND e.to_status = r.status
                                    ORDER BY e.at DESC, e.id DESC LIMIT 1)
                 WHERE r.status IN ('cancelled', 'revoked');
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name='recordal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('ended_on__isnull', False), ('status__in', ('expired', 'cancelled', 'revoked'))), models.Q(models.Q(('status__in', ('expired', 'cancelled', 'revoked')), _negated=True), ('ended_on__isnull', True)), _connector='OR'), name='recordal_ended_has_date'),
        ),
    ]
