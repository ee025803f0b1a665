"""The one small interface a model implements to carry deadlines, and who hears of them.

    class Detention(models.Model):
        def deadline_parties(self) -> Parties:
            return Parties(holder_id=self.holder_id, office_id=self.office_id, label=self.number)

`office_id=None` means the GACC handles it (recordal review, renewal decisions).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Authorisation, Contact, Organisation, User
from deadlines.models import Delivery


@dataclass(frozen=True)
class Parties:
    holder_id: int | None
    office_id: int | None
    label: str


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    user_id: int | None = None
    language: str = "en"


class RecipientResolver:
    """Resolves recipient groups to addresses, caching per (holder, office) for one sweep."""

    def __init__(self):
        self._cache: dict[tuple, list[Recipient]] = {}
        self._gacc_id = None

    def resolve(self, *, holder_id, office_id, groups) -> list[Recipient]:
        key = (holder_id, office_id, tuple(groups))
        if key not in self._cache:
            self._cache[key] = self._resolve(holder_id, office_id, groups)
        return self._cache[key]

    def _resolve(self, holder_id, office_id, groups) -> list[Recipient]:
        users = User.objects.none()
        user_filter = Q(pk__in=[])
        emails: dict[str, str] = {}
        if holder_id and "holder_contacts" in groups:
            for email in Contact.objects.filter(organisation_id=holder_id).values_list(
                "email", flat=True
            ):
                emails.setdefault(email.lower(), "en")
        if holder_id and "holder_users" in groups:
            user_filter |= Q(organisation_id=holder_id)
        if holder_id and "agents" in groups:
            agencies = Authorisation.objects.active().filter(holder_id=holder_id)
            user_filter |= Q(organisation_id__in=agencies.values("agency_id"))
        if "officers" in groups:
            user_filter |= Q(organisation_id=office_id or self.gacc_id())
        users = User.objects.filter(user_filter, is_active=True).values_list(
            "pk", "email", "preferred_language"
        )
        recipients = []
        for pk, email, language in users:
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
