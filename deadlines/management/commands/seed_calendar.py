from django.core.management.base import BaseCommand

from deadlines.services import calendar_seed


class Command(BaseCommand):
    help = (
        "Load public holidays and make-up working days from the chinesecalendar package for "
        "every year it covers. Days entered by officers are kept. Safe to run again."
    )

    def handle(self, *args, **options):
        result = calendar_seed()
        years = result["years"]
        self.stdout.write(
            f"{result['days_created']} calendar days created; years covered "
            f"{years[0]}-{years[-1]}; newly announced: {result['years_announced'] or 'none'}."
        )
