"""Helpers that build complete recordal applications through the services."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from core.demo_files import pdf_bytes, png_bytes
from recordals import services

D = dt.date.fromisoformat


def trademark(**overrides) -> dict:
    right = {
        "kind": "trademark",
        "right_name": "LABUBU",
        "registration_number": "41234567",
        "nice_classes": [28],
        "right_valid_from": D("2020-06-14"),
        "right_valid_until": D("2030-06-13"),
    }
    return {**right, **overrides}


GOODS = [
    {
        "name": "Plush toys",
        "hs_code": "950300",
        "origin_country": "CN",
        "price_min": "59.00",
        "price_max": "599.00",
    }
]


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), "image/png")


def complete_draft(actor, holder, **right):
    recordal = services.recordal_create_draft(
        actor=actor,
        holder=holder,
        right=trademark(**right),
        genuine_goods=GOODS,
        licensees=[{"name": "Dongguan Toy Works", "role": "manufacturer"}],
        known_infringers=[{"name": "Fake Toys Trading", "country": "CN"}],
    )
    services.recordal_attach(
        actor=actor, recordal=recordal, kind="registration_certificate", upload=pdf()
    )
    services.recordal_attach(actor=actor, recordal=recordal, kind="goods_photo", upload=png())
    if recordal.filed_by_agency_id:
        services.recordal_attach(
            actor=actor, recordal=recordal, kind="power_of_attorney", upload=pdf()
        )
    return recordal


def approved(actor, holder, officer, on=None, **right):
    on = on or D("2024-03-15")
    recordal = complete_draft(actor, holder, **right)
    services.recordal_transition(actor=actor, recordal=recordal, action="submit", on=on)
    return services.recordal_transition(actor=officer, recordal=recordal, action="approve", on=on)


def renewal_requested(actor, holder, officer, **right):
    """POP MART's story: approved 2016-12-01 (term to 2026-11-30, the trademark valid to
    2036-05-06), its renewal requested in time on 2026-09-01 (R7)."""
    right = {"right_valid_from": D("2016-05-07"), "right_valid_until": D("2036-05-06"), **right}
    recordal = approved(actor, holder, officer, on=D("2016-12-01"), **right)
    return services.recordal_transition(
        actor=actor, recordal=recordal, action="request_renewal", on=D("2026-09-01")
    )
