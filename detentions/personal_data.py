"""The consignor's and consignee's personal particulars under PIPL: who sees them, masked
or not, and the log of every unmasked read by a person.

A detention notice discloses the consignor's and consignee's name and country to the
holder (models.Detention); their address, contact and identity document stay with
customs. Holders and agents never receive these fields at all. Officers see them masked
in lists and in the answers of steps, unmasked only on a case's detail (the API's
`GET /api/v1/detentions/{id}/` and the admin's change page), and each such read writes a
PersonalDataRead row (who, when, which case, which channel), shown read-only in the admin.
"""

from __future__ import annotations

from detentions.models import Detention, PersonalDataRead

# The fields, with how much of each a masked form keeps (first, last characters).
PERSONAL_FIELDS = {
    "consignor_address": (3, 0),
    "consignor_contact": (3, 2),
    "consignor_id_number": (2, 2),
    "consignee_address": (3, 0),
}
STARS = "****"


def mask(field: str, value: str | None) -> str:
    """`value` with all but its first and last few characters hidden; an address keeps
    only its first three characters and never shows its length."""
    value = (value or "").strip()
    if not value:
        return ""
    head, tail = PERSONAL_FIELDS[field]
    if len(value) <= head + tail + 2:
        return STARS
    if not tail:
        return value[:head] + STARS
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def masked(data: dict) -> dict:
    """A case's representation with its personal particulars masked (in place)."""
    for field in PERSONAL_FIELDS:
        if field in data:
            data[field] = mask(field, data[field])
    return data


def shown_fields(detention: Detention) -> list[str]:
    """The personal fields the case holds (an empty one discloses nothing)."""
    return [field for field in PERSONAL_FIELDS if getattr(detention, field)]


def personal_data_read(*, reader, detention: Detention, channel: str) -> PersonalDataRead | None:
    """Log that `reader` was shown `detention`'s personal particulars unmasked (PIPL).
    Nothing is logged when the case holds none."""
    fields = shown_fields(detention)
    if not fields or not getattr(reader, "is_authenticated", False):
        return None
    return PersonalDataRead.objects.create(
        detention=detention, reader=reader, channel=channel, fields=fields
    )
