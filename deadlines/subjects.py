"""The one small interface a model implements to carry deadlines, and who hears of them.

    class Detention(models.Model):
        def deadline_parties(self) -> Parties:  # accounts/parties.py
            return Parties(holder_id=self.holder_id, office_id=self.office_id, label=self.number)

`office_id=None` means the GACC handles it (recordal review, renewal decisions).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, Value, When

from accounts.models import Authorisation, Contact, Organisation, User
from deadlines.models import Delivery


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    user_id: int | None = None
    language: str = "en"


class RecipientResolver:
    """Resolves recipient groups to addresses. `prime()` loads a whole batch's holders and
    offices in four queries, so a sweep's cost does not grow with the number of pairs."""

    def __init__(self):
        self._contacts: dict[int, list[str]] = {}
        self._holder_users: dict[int, list[tuple]] = {}
        self._agent_users: dict[int, list[tuple]] = {}
        self._office_users: dict[int, list[tuple]] = {}
        self._gacc_id = None

    def prime(self, holder_ids, office_ids) -> None:
        holders = {h for h in holder_ids if h and h not in self._contacts}
        offices = {o or self.gacc_id() for o in office_ids} - set(self._office_users)
        if holders:
            for holder in holders:
                self._contacts[holder], self._holder_users[holder] = [], []
                self._agent_users[holder] = []
            for holder, email in Contact.objects.filter(organisation_id__in=holders).values_list(
                "organisation_id", "email"
            ):
                self._contacts[holder].append(email)
            for row in self._users(organisation_id__in=holders):
                self._holder_users[row[0]].append(row[1:])
            mandates = Authorisation.objects.active().filter(holder_id__in=holders)
            agencies: dict[int, set[int]] = {}
            for holder, agency in mandates.values_list("holder_id", "agency_id"):
                agencies.setdefault(agency, set()).add(holder)
            for row in self._users(organisation_id__in=agencies):
                for holder in agencies[row[0]]:
                    self._agent_users[holder].append((*row[1:], row[0]))
        if offices:
            for office in offices:
                self._office_users[office] = []
            for row in self._users(organisation_id__in=offices):
                self._office_users[row[0]].append(row[1:])

    @staticmethod
    def _users(**lookup):
        # A user who turned reminder emails off (portal preferences) gets in-app ones only.
        email = Case(When(reminder_emails=True, then=F("email")), default=Value(""))
        return User.objects.filter(is_active=True, **lookup).values_list(
            "organisation_id", "pk", email, "preferred_language"
        )

    def resolve(self, *, holder_id, office_id, groups, agency_id=None) -> list[Recipient]:
        self.prime([holder_id], [office_id])
        users, emails = [], {}
        if holder_id and "holder_contacts" in groups:
            for email in self._contacts[holder_id]:
                emails.setdefault(email.lower(), "en")
        if holder_id and "holder_users" in groups:
            users += self._holder_users[holder_id]
        if holder_id and "agents" in groups:
            agents = self._agent_users[holder_id]
            if agency_id:
                agents = [row for row in agents if row[3] == agency_id]
            users += [row[:3] for row in agents]
        if "officers" in groups:
            users += self._office_users[office_id or self.gacc_id()]
        recipients, seen = [], set()
        for pk, email, language in users:
            if pk in seen:
                continue
            seen.add(pk)
            recipients.append(Recipient(Delivery.Channel.IN_APP, f"user:{pk}", pk, language))
            if email:
                emails[email.lower()] = language
        for email, language in emails.items():
            recipients.append(Recipient(Delivery.Channel.EMAIL, email, None, language))
        return recipients

    def gacc_id(self):
        if self._gacc_id is None:
            self._gacc_id = (
                Organisation.objects.filter(customs_level=Organisation.CustomsLevel.GACC)
                .values_list("pk", flat=True)
                .first()
            )
        return self._gacc_id
