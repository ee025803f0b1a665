from django.core.management.base import BaseCommand

from accounts.models import Organisation, Port
from accounts.reference import load_customs_offices


class Command(BaseCommand):
    help = "Load (or top up) the GACC, the 42 district customs and their ports."

    def handle(self, *args, **options):
        offices, ports = load_customs_offices(Organisation, Port)
        self.stdout.write(f"{offices} customs offices and {ports} ports present.")
