"""API for detention cases (R12-R28), referrals (R25) and the public bond quote (R14, R18).

Every step of the two workflow tables is one POST endpoint, generated from the tables:
`/api/v1/detentions/{id}/request-detention/`, `/detain/`, `/determine-infringing/`, ...
Each takes its step's input schema (detentions/inputs.py) as JSON, or multipart
with a `document` (the notice served, the bond certificate, the court notice ...).

Officers see everything of their cases; the holder side sees its own cases without
customs-internal events, documents and notes, and sees the consignor and consignee only
as far as a detention notice discloses them (name and country).
"""

from detentions.api.bonds import BondQuoteView
from detentions.api.cases import DetentionViewSet
from detentions.api.referrals import ReferralViewSet

__all__ = ["BondQuoteView", "DetentionViewSet", "ReferralViewSet"]
