"""Hostile and clumsy use of the recordal pages (issue 18): every URL of portal.urls_recordals
and portal.urls_portfolio, for every kind of user (anonymous, the holder, another holder, an
agent with and without the holder's authorisation R2/R3, an officer), read, posted empty and
posted with garbage (wrong types, 100k-character strings, far dates, other users' ids,
unknown steps, sorts and formats, uploads that are not what they claim). The rule: never a
500, bad input is the form again with its errors (400) or a clear 403/404/409, and nothing
changes. Each probe runs in a savepoint rolled back afterwards, so the probes are independent.

Legal dates are fixed: the tests run on Monday 2025-09-29 (time-machine), whatever today is."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile
import zlib

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from core.demo_files import pdf_bytes, png_bytes
from core.timezone import LEGAL_TZ
from deadlines.models import Deadline
from recordals.imports import COLUMNS
from recordals.models import Attachment, ChangeApplication, Recordal, RecordalEvent
from recordals.tests.factories import approved, complete_draft
from recordals.workflow import RECORDAL_WORKFLOW

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2025, 9, 29, 10, 0, tzinfo=LEGAL_TZ)
HUGE = "x" * 100_000
FAR = ("9999-12-31", "0001-01-01", "2025-02-30", "-1", "abc")
ANSWERS = {200, 302, 400, 403, 404, 405, 409}


@pytest.fixture(autouse=True)
def on_a_fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


class _RolledBack(Exception):
    pass


@pytest.fixture
def world(parties):
    users = parties["users"]
    gacc = users["gacc"]
    draft = complete_draft(users["holder_a"], parties["holder_a"], registration_number="60123456")
    in_force = approved(
        users["agent_a"],
        parties["holder_a"],
        gacc,
        on=dt.date(2015, 5, 4),
        registration_number="41234567",
        right_valid_from=dt.date(2015, 1, 1),
        right_valid_until=dt.date(2035, 12, 31),
    )
    other = complete_draft(users["holder_b"], parties["holder_b"], registration_number="47123456")
    return {
        "users": {
            "anonymous": None,
            "holder": users["holder_a"],
            "other_holder": users["holder_b"],
            "agent": users["agent_a"],
            "agent_unauthorised": users["agent_expired"],
            "officer": gacc,
        },
        "draft": draft,
        "in_force": in_force,
        "other": other,
        "draft_doc": draft.attachments.first(),
        "other_doc": other.attachments.first(),
    }


def fingerprint():
    """Everything the pages could change."""
    recordals = list(
        Recordal.objects.order_by("pk").values_list(
            "pk",
            "status",
            "updated_at",
            "right_name",
            "registration_number",
            "nice_classes",
            "right_valid_until",
            "valid_until",
            "holder_id",
        )
    )
    related = [
        (r.pk, r.genuine_goods.count(), r.licensees.count(), r.known_infringers.count())
        for r in Recordal.objects.order_by("pk")
    ]
    return (
        recordals,
        related,
        Attachment.objects.count(),
        RecordalEvent.objects.count(),
        ChangeApplication.objects.count(),
        Deadline.objects.count(),
    )


def probe(user, method, url, data=None, **extra):
    """(status, changed) of one request, its writes rolled back afterwards."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    outcome = {}
    try:
        with transaction.atomic():
            before = fingerprint()
            if method == "GET":
                response = client.get(url, data or {}, **extra)
            else:
                response = client.post(url, data or {}, **extra)
            outcome["status"] = response.status_code
            outcome["changed"] = fingerprint() != before
            outcome["response"] = response
            raise _RolledBack
    except _RolledBack:
        pass
    return outcome


def garbage(**more) -> dict:
    """A body of wrong types, huge strings and far dates for any form of these pages."""
    body = {
        "kind": "zzz",
        "holder": "abc",
        "right_name": HUGE,
        "registration_number": HUGE,
        "registered": "maybe",
        "nice_classes": "abc,-1,99999",
        "right_valid_from": "0001-01-01",
        "right_valid_until": "9999-12-31",
        "changed_on": "9999-12-31",
        "description": HUGE,
        "holder_name_en": HUGE,
        "reason": HUGE,
        "action": "__class__",
        "ids": ["abc", "-1", "999999999999999999999"],
        "mode": "zzz",
        "next": "//evil.example/",
    }
    for prefix in ("goods", "licensees", "infringers", "genuine_goods"):
        body.update(
            {
                f"{prefix}-TOTAL_FORMS": "abc",
                f"{prefix}-INITIAL_FORMS": "-5",
                f"{prefix}-0-name": HUGE,
                f"{prefix}-0-price_min": "-1e400",
                f"{prefix}-0-price_max": "NaN",
            }
        )
    body.update(more)
    return body


def recordal_urls(world) -> list[tuple[str, str, bool]]:
    """(label, url, writes) for every pattern of portal.urls_recordals, on the holder's draft,
    its recordal in force, another holder's recordal and one that does not exist."""
    urls = [("new", reverse("portal:recordal_new"), True)]
    targets = {
        "draft": world["draft"].pk,
        "in_force": world["in_force"].pk,
        "other": world["other"].pk,
        "missing": 999_999,
    }
    for name, pk in targets.items():
        urls.append((f"detail:{name}", reverse("portal:recordal", args=[pk]), False))
        for step in ("right", "goods", "licensees", "infringers", "documents", "review", "zzz"):
            urls.append(
                (f"wizard:{name}:{step}", reverse("portal:recordal_wizard", args=[pk, step]), True)
            )
        for action in [*RECORDAL_WORKFLOW.step_names(), "zzz", "__class__"]:
            slug = action.replace("_", "-")
            urls.append(
                (f"step:{name}:{slug}", reverse("portal:recordal_step", args=[pk, slug]), True)
            )
        urls.append((f"licensees:{name}", reverse("portal:recordal_licensees", args=[pk]), True))
        for kind in [*ChangeApplication.Kind.values, "zzz"]:
            urls.append(
                (f"change:{name}:{kind}", reverse("portal:recordal_change", args=[pk, kind]), True)
            )
    for doc in ("draft_doc", "other_doc"):
        urls.append(
            (
                f"document:draft:{doc}",
                reverse("portal:recordal_document", args=[world["draft"].pk, world[doc].pk]),
                False,
            )
        )
    base = reverse("portal:recordal", args=[1]).rsplit("1/", 1)[0]
    for raw in ("abc/", "-1/", "1e3/", "99999999999999999999999/", "1/edit/../", "1/steps/%00/"):
        urls.append((f"raw:{raw}", base + raw, False))
    return urls


def portfolio_urls() -> list[tuple[str, str, bool]]:
    return [
        ("portfolio", reverse("portal:recordals"), False),
        ("export", reverse("portal:recordals_export"), False),
        ("print", reverse("portal:recordals_print"), False),
        ("bulk", reverse("portal:recordals_bulk"), True),
        ("import", reverse("portal:recordal_import"), True),
        ("import_done", reverse("portal:recordal_import_result"), False),
        ("template.xlsx", reverse("portal:recordal_import_template", args=["xlsx"]), False),
        ("template.csv", reverse("portal:recordal_import_template", args=["csv"]), False),
        (
            "template.pdf",
            reverse("portal:recordal_import_template", args=["xlsx"])[:-4] + "pdf",
            False,
        ),
    ]


ENTITLED = {"holder", "agent"}  # who may act on the holder's recordals (R2, R3)


def _may_change(user_key: str, label: str) -> bool:
    """Only the holder's side, on the holder's own recordals, through a step whose body is
    nothing but an optional reason (submit, request renewal, cancel): those may change."""
    if user_key not in ENTITLED:
        return False
    return label.startswith(("step:draft:", "step:in_force:"))


def _run(world, urls, bodies):
    found = []
    count = 0
    for user_key, user in world["users"].items():
        for label, url, _writes in urls:
            for method, body in bodies:
                outcome = probe(user, method, url, body)
                count += 1
                status, changed = outcome["status"], outcome["changed"]
                allowed_change = method == "POST" and _may_change(user_key, label)
                if status not in ANSWERS or (changed and not allowed_change):
                    found.append((user_key, method, label, status, changed))
    return count, found


def test_no_500_and_no_change_on_any_recordal_url_for_any_user(world):
    """Every URL of the filing pages x six users x (GET, empty POST, garbage POST)."""
    bodies = [("GET", None), ("POST", {}), ("POST", garbage())]
    count, found = _run(world, recordal_urls(world), bodies)
    assert count > 1000
    assert found == []


def test_no_500_and_no_change_on_any_portfolio_url_for_any_user(world):
    query = {
        "sort": "__class__",
        "page": "-1",
        "kind": "zzz",
        "status": "zzz",
        "nice_class": "abc",
        "term_from": "9999-12-31",
        "term_until": "0001-01-01",
        "client": "abc",
        "renewal": "zzz",
        "q": HUGE,
        "format": "pdf",
    }
    bodies = [
        ("GET", None),
        ("GET", query),
        ("GET", {"page": "abc", "sort": "-"}),
        ("POST", {}),
        ("POST", garbage()),
    ]
    count, found = _run(world, portfolio_urls(), bodies)
    assert count > 200
    assert found == []


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "__class__"},
        {"sort": "-__class__", "page": "-1"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"kind": "zzz", "status": "zzz", "renewal": "zzz"},
        {"nice_class": "-1"},
        {"term_from": "9999-12-31", "term_until": "0001-01-01"},
        {"client": "-1"},
        {"q": "%_\\'\"; DROP TABLE"},
        {"sort": "holder", "q": HUGE[:100]},
    ],
)
def test_odd_portfolio_queries_give_a_page_never_an_error(world, query):
    for name in ("portal:recordals", "portal:recordals_print", "portal:recordals_export"):
        outcome = probe(world["users"]["agent"], "GET", reverse(name), query)
        assert outcome["status"] in (200, 400), (name, query, outcome["status"])
        assert not outcome["changed"]


def test_an_export_in_an_unknown_format_is_refused_400(world):
    for fmt in ("pdf", "", "../../etc/passwd", "XLSX"):
        outcome = probe(
            world["users"]["holder"], "GET", reverse("portal:recordals_export"), {"format": fmt}
        )
        assert outcome["status"] == 400, fmt


def test_bulk_with_other_users_ids_changes_nothing_of_theirs(world):
    """R2: the holder B's recordal, selected by holder A, is neither renewed nor exported."""
    other, in_force = world["other"], world["in_force"]
    user = world["users"]["holder"]
    outcome = probe(
        user,
        "POST",
        reverse("portal:recordals_bulk"),
        {"action": "request_renewal", "ids": [other.pk]},
    )
    assert outcome["status"] in (200, 409)
    assert not outcome["changed"]
    outcome = probe(
        user,
        "POST",
        reverse("portal:recordals_bulk"),
        {"action": "export_csv", "ids": [other.pk, in_force.pk]},
    )
    assert outcome["status"] == 200
    text = b"".join(outcome["response"].streaming_content).decode("utf-8-sig")
    assert in_force.registration_number in text and other.registration_number not in text
    outcome = probe(user, "GET", reverse("portal:recordals_bulk"))
    assert outcome["status"] == 405


# --- uploads that are not what they claim -------------------------------------------------


def _upload(name, content, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type)


BAD_DOCUMENTS = {
    "html_behind_pdf": lambda: _upload("cert.pdf", b"<html><script>alert(1)</script></html>"),
    "zero_bytes": lambda: _upload("cert.pdf", b""),
    "thirty_mb": lambda: _upload("cert.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)),
    "png_named_exe": lambda: _upload("x.exe", b"MZ\x90\x00" + b"\x00" * 100, "image/png"),
    "huge_name": lambda: _upload("a" * 5000 + ".pdf", b"<html></html>"),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_a_document_that_is_not_what_it_claims_is_refused_400_nothing_attached(world, case):
    url = reverse("portal:recordal_wizard", args=[world["draft"].pk, "documents"])
    body = {"kind": "registration_certificate", "file": BAD_DOCUMENTS[case]()}
    outcome = probe(world["users"]["holder"], "POST", url, body)
    assert outcome["status"] == 400
    assert not outcome["changed"]
    assert outcome["response"].context["form"].errors


def test_a_document_of_other_kind_zzz_is_refused_400(world):
    url = reverse("portal:recordal_wizard", args=[world["draft"].pk, "documents"])
    body = {"kind": "zzz", "file": _upload("cert.pdf", pdf_bytes())}
    outcome = probe(world["users"]["holder"], "POST", url, body)
    assert (outcome["status"], outcome["changed"]) == (400, False)


def _sheet_csv(rows, headers=None, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers or [c.key for c in COLUMNS])
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def _zip_with_bad_crc() -> bytes:
    """A ZIP whose one file's checksum is wrong (reading it raises BadZipFile)."""
    content = bytearray(_zip([("cert.pdf", pdf_bytes())], zipfile.ZIP_STORED))
    # the CRC-32 of the local header (offset 14) and of the central directory's entry
    content[14:18] = struct.pack("<I", 0xDEADBEEF)
    central = content.rfind(b"PK\x01\x02")
    content[central + 16 : central + 20] = struct.pack("<I", 0xDEADBEEF)
    return bytes(content)


def _zip_lying_about_size() -> bytes:
    """A ZIP that declares a tiny file but holds 50 MB of zeros, deflated."""
    big = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = big.compress(b"%PDF-1.4\n" + b"\0" * (50 * 1024 * 1024)) + big.flush()
    content = bytearray(_zip([("cert.pdf", b"%PDF-1.4\n")]))
    # replace the member's data and its compressed size by the big one (sizes still tiny)
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode())
    end = start + info.compress_size
    content[start:end] = body
    content[18:22] = struct.pack("<I", len(body))
    central = content.rfind(b"PK\x01\x02")
    content[central + 20 : central + 24] = struct.pack("<I", len(body))
    eocd = content.rfind(b"PK\x05\x06")
    content[eocd + 16 : eocd + 20] = struct.pack("<I", central)
    return bytes(content)


def _encrypted_flag_zip() -> bytes:
    content = bytearray(_zip([("cert.pdf", pdf_bytes())]))
    content[6] |= 1
    central = content.rfind(b"PK\x01\x02")
    content[central + 8] |= 1
    return bytes(content)


def _good_row() -> list[str]:
    values = {
        "holder": "Holder A",
        "kind": "trademark",
        "right_name": "LABUBU",
        "registration_number": "41234568",
        "nice_classes": "28",
        "right_valid_from": "2020-06-14",
        "right_valid_until": "2030-06-13",
        "goods_name": "Plush toys",
        "goods_hs_code": "950300",
        "goods_origin_country": "CN",
        "goods_price_min": "59.00",
        "goods_price_max": "599.00",
        "doc_registration_certificate": "cert.pdf",
        "doc_power_of_attorney": "poa.pdf",
        "doc_goods_photo": "goods.png",
    }
    return [values.get(column.key, "") for column in COLUMNS]


BAD_IMPORTS = {
    "corrupt_xlsx": lambda: {"file": _upload("r.xlsx", b"PK\x03\x04garbage" * 100, "x")},
    "html_as_xlsx": lambda: {"file": _upload("r.xlsx", b"<html></html>", "x")},
    "zero_bytes": lambda: {"file": _upload("r.csv", b"", "text/csv")},
    "thirty_mb": lambda: {"file": _upload("r.csv", b"a," * (15 * 1024 * 1024), "text/csv")},
    "latin1_csv": lambda: {
        "file": _upload(
            "r.csv", _sheet_csv([["Hôlder Ä", "trädemark", "ÉÀÜ"]], encoding="latin-1"), "text/csv"
        )
    },
    "binary_csv": lambda: {"file": _upload("r.csv", bytes(range(256)) * 40, "text/csv")},
    "xls": lambda: {"file": _upload("r.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "x")},
    "xlsx_empty": lambda: {"file": _upload("r.xlsx", _xlsx([]), "x")},
    "xlsx_headers_only": lambda: {
        "file": _upload("r.xlsx", _xlsx([[c.key for c in COLUMNS]]), "x")
    },
    "duplicate_headers": lambda: {
        "file": _upload(
            "r.csv",
            _sheet_csv([[*_good_row(), "x"]], headers=[*(c.key for c in COLUMNS), "holder"]),
            "text/csv",
        )
    },
    "csv_only_separators": lambda: {"file": _upload("r.csv", b",,,\n,,,\n;;;\n", "text/csv")},
    "huge_cells": lambda: {
        "file": _upload("r.csv", _sheet_csv([[HUGE] * len(COLUMNS)]), "text/csv")
    },
    "far_dates": lambda: {
        "file": _upload(
            "r.csv",
            _sheet_csv(
                [
                    [
                        v if c.key not in ("right_valid_from", "right_valid_until") else d
                        for c, v in zip(COLUMNS, _good_row(), strict=True)
                    ]
                    for d in FAR
                ]
            ),
            "text/csv",
        )
    },
    "zip_not_a_zip": lambda: {"file": _good_csv(), "documents": _upload("d.zip", b"PK junk", "x")},
    "zip_traversal": lambda: {
        "file": _good_csv(),
        "documents": _upload(
            "d.zip",
            _zip(
                [
                    ("../../cert.pdf", b"<html></html>"),
                    ("a/b/c/../../poa.pdf", pdf_bytes()),
                    ("/etc/goods.png", png_bytes()),
                    ("deep/er/folder/", b""),
                ]
            ),
            "x",
        ),
    },
    "zip_bad_crc": lambda: {
        "file": _good_csv(),
        "documents": _upload("d.zip", _zip_with_bad_crc(), "x"),
    },
    "zip_lying_size": lambda: {
        "file": _good_csv(),
        "documents": _upload("d.zip", _zip_lying_about_size(), "x"),
    },
    "zip_encrypted": lambda: {
        "file": _good_csv(),
        "documents": _upload("d.zip", _encrypted_flag_zip(), "x"),
    },
    "zip_bomb_declared": lambda: {
        "file": _good_csv(),
        "documents": _upload(
            "d.zip", _zip([(f"f{i}.pdf", b"\0" * (30 * 1024 * 1024)) for i in range(8)]), "x"
        ),
    },
    "zip_empty": lambda: {"file": _good_csv(), "documents": _upload("d.zip", _zip([]), "x")},
}


def _good_csv():
    return _upload("r.csv", _sheet_csv([_good_row()]), "text/csv")


@pytest.mark.parametrize("mode", ["all", "valid_only"])
@pytest.mark.parametrize("case", sorted(BAD_IMPORTS))
def test_an_import_that_is_not_what_it_claims_is_refused_400_nothing_created(world, case, mode):
    body = {**BAD_IMPORTS[case](), "mode": mode}
    outcome = probe(world["users"]["agent"], "POST", reverse("portal:recordal_import"), body)
    assert outcome["status"] == 400, (case, outcome["status"])
    assert not outcome["changed"]


def test_an_unauthorised_agent_imports_nothing_for_the_holder(world):
    """R2, R3: the agent whose power of attorney has ended files nothing for holder A."""
    body = {"file": _good_csv(), "mode": "valid_only"}
    for who in ("agent_unauthorised", "other_holder", "officer"):
        outcome = probe(world["users"][who], "POST", reverse("portal:recordal_import"), body)
        assert outcome["status"] in (400, 403, 302), who
        assert not outcome["changed"], who


# --- garbage in each form, as its owner ----------------------------------------------------


def _formset(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


OWNER_GARBAGE = [
    (
        "right",
        {
            "right_name": HUGE,
            "registration_number": "1",
            "nice_classes": "28",
            "right_valid_from": "0001-01-01",
            "right_valid_until": "9999-12-31",
        },
    ),
    (
        "right",
        {
            "right_name": "X",
            "registration_number": "1",
            "nice_classes": "abc,-1",
            "right_valid_from": "2025-02-30",
            "right_valid_until": "abc",
        },
    ),
    (
        "right",
        {
            "right_name": "X",
            "registration_number": "1",
            "nice_classes": "28",
            "right_valid_from": "9999-12-31",
            "right_valid_until": "0001-01-01",
        },
    ),
    (
        "goods",
        _formset(
            "goods", [{"name": HUGE, "hs_code": "abc", "price_min": "-1", "price_max": "1e400"}]
        ),
    ),
    ("goods", _formset("goods", [{"name": "X", "price_min": "NaN", "price_max": "Infinity"}])),
    ("goods", {"goods-TOTAL_FORMS": "100000000", "goods-INITIAL_FORMS": "0"}),
    ("goods", {"goods-TOTAL_FORMS": "-1", "goods-INITIAL_FORMS": "abc"}),
    ("licensees", _formset("licensees", [{"name": HUGE, "role": "zzz", "country": "ZZZ"}])),
    ("infringers", _formset("infringers", [{"name": HUGE, "country": "??", "price_min": "-1"}])),
]


@pytest.mark.parametrize(("step", "body"), OWNER_GARBAGE)
def test_the_owner_posting_garbage_in_the_wizard_gets_400_nothing_saved(world, step, body):
    url = reverse("portal:recordal_wizard", args=[world["draft"].pk, step])
    outcome = probe(world["users"]["holder"], "POST", url, body)
    assert (outcome["status"], outcome["changed"]) == (400, False)


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("holder_name", {"changed_on": "9999-12-31", "description": HUGE, "holder_name_en": HUGE}),
        ("right", {"changed_on": "abc", "right_valid_until": "0001-01-01"}),
        (
            "goods",
            {
                "changed_on": "2025-09-01",
                "description": "x",
                **_formset("genuine_goods", [{"name": HUGE, "price_min": "-5"}]),
            },
        ),
        (
            "licensing",
            {
                "changed_on": "2025-09-01",
                "description": "x",
                **_formset("licensees", [{"name": "", "role": "zzz"}]),
            },
        ),
        ("other", {"changed_on": "2025-09-01", "description": ""}),
    ],
)
def test_a_change_application_with_garbage_is_400_nothing_filed(world, kind, body):
    """R8: a change application is the form again with its errors, none filed."""
    url = reverse("portal:recordal_change", args=[world["in_force"].pk, kind])
    outcome = probe(world["users"]["agent"], "POST", url, body)
    assert (outcome["status"], outcome["changed"]) == (400, False)


def test_licensees_with_garbage_are_400_nothing_saved(world):
    url = reverse("portal:recordal_licensees", args=[world["in_force"].pk])
    body = _formset("licensees", [{"name": HUGE, "role": "zzz", "country": "ZZZ"}])
    outcome = probe(world["users"]["holder"], "POST", url, body)
    assert (outcome["status"], outcome["changed"]) == (400, False)


@pytest.mark.parametrize("reason", ["", "x", HUGE])
def test_steps_not_open_now_are_refused_nothing_changed(world, reason):
    """R5, R7, R9: approving as a holder, renewing outside the window, correcting a draft:
    409 (403 for GACC's steps); a 100k-character reason may be refused as input (400)."""
    cases = [
        ("draft", "approve"),
        ("draft", "correct"),
        ("in_force", "request-renewal"),
        ("in_force", "submit"),
        ("draft", "cancel"),
    ]
    for target, action in cases:
        url = reverse("portal:recordal_step", args=[world[target].pk, action])
        outcome = probe(world["users"]["holder"], "POST", url, {"reason": reason})
        expected = (400, 403, 409) if reason == HUGE else (403, 409)
        assert outcome["status"] in expected, (target, action, outcome["status"])
        assert not outcome["changed"]


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("holder_name", {"changed_on": "0001-01-01", "description": "x", "holder_name_en": "N"}),
        ("holder_name", {"changed_on": "2200-01-01", "description": "x", "holder_name_en": "N"}),
        (
            "right",
            {"changed_on": "2024-01-02", "description": "x", "right_valid_until": "9999-12-31"},
        ),
    ],
)
def test_a_change_with_an_implausible_date_is_a_400_and_files_nothing(world, client, kind, body):
    """Issue 20: every legal date has a plausible range (core.dates), on pages as in the API."""
    in_force = world["in_force"]
    client.force_login(world["users"]["agent"])
    url = reverse("portal:recordal_change", args=[in_force.pk, kind])
    answer = client.post(url, body)
    assert answer.status_code == 400
    assert "1950-01-01" in answer.content.decode()  # the range, in the field's error
    assert not in_force.changes.exists()


@pytest.mark.parametrize("price", ["1_000", "١٢٣", "-0x1"])
def test_a_price_not_in_ascii_digits_is_a_400_and_saves_nothing(world, client, price):
    """As the API (core/api/fields.py ASCII_DECIMAL): Decimal() reads "1_000" and "١٢٣"."""
    draft = world["draft"]
    client.force_login(world["users"]["agent"])
    before = list(draft.genuine_goods.values_list("id", "price_min"))
    url = reverse("portal:recordal_wizard", args=[draft.pk, "goods"])
    answer = client.post(url, _formset("goods", [{"name": "Toys", "price_min": price}]))
    assert answer.status_code == 400
    assert list(draft.genuine_goods.values_list("id", "price_min")) == before


# --- what the probes found (each fixed) -----------------------------------------------------


@pytest.mark.parametrize("bad_id", ["²", "٣", "99999999999999999999", str(2**63), "-1", "1.0"])
@pytest.mark.parametrize("action", ["request_renewal", "export_csv", "export_xlsx"])
def test_bulk_ids_that_are_not_ascii_digits_select_nothing(world, bad_id, action):
    """ "²".isdigit() is true but no id: it was a 500; "٣" (an Arabic-Indic 3) selected pk 3."""
    outcome = probe(
        world["users"]["agent"],
        "POST",
        reverse("portal:recordals_bulk"),
        {"action": action, "ids": [bad_id]},
    )
    # not digits: no selection at all (400); digits of no recordal the user sees: none done
    assert outcome["status"] == (400 if not (bad_id.isascii() and bad_id.isdigit()) else 200)
    assert not outcome["changed"]


def test_copying_a_right_from_an_id_that_is_not_ascii_digits_starts_empty(world, parties):
    """R1 "file for another class" (?from=<id>): "²" was a 500."""
    query = {"kind": "trademark", "holder": parties["holder_a"].pk}
    for source in ("²", "٣", "99999999999999999999", str(world["other"].pk)):
        outcome = probe(
            world["users"]["agent"],
            "GET",
            reverse("portal:recordal_new"),
            {**query, "from": source},
        )
        assert outcome["status"] == 200, source
        assert outcome["response"].context["right_form"].initial == {}, source
    outcome = probe(
        world["users"]["agent"],
        "GET",
        reverse("portal:recordal_new"),
        {**query, "from": str(world["in_force"].pk)},
    )
    assert outcome["response"].context["right_form"].initial["right_name"] == "LABUBU"


@pytest.mark.parametrize(
    "content",
    [
        _sheet_csv([["y" * 200_000, *_good_row()[1:]]]),  # over csv.field_size_limit()
        b'holder,kind\n"Holder A,trademark\n' + b"x" * 200_000,  # a quote never closed
    ],
    ids=["cell_over_the_csv_limit", "unclosed_quote"],
)
def test_a_csv_the_csv_module_cannot_read_is_an_error_of_the_file(world, content):
    outcome = probe(
        world["users"]["agent"],
        "POST",
        reverse("portal:recordal_import"),
        {"file": _upload("r.csv", content, "text/csv"), "mode": "valid_only"},
    )
    assert (outcome["status"], outcome["changed"]) == (400, False)
    assert outcome["response"].context["form"].errors["file"]


def test_a_csv_with_old_mac_line_ends_is_read(world):
    """A CSV saved with \\r line ends (old Excel for Mac) was a 500; it is read row by row."""
    lines = [",".join(c.key for c in COLUMNS), ",".join(_good_row())]
    content = "\r".join(lines).encode()
    docs = _zip([("cert.pdf", pdf_bytes()), ("poa.pdf", pdf_bytes()), ("goods.png", png_bytes())])
    client = Client()
    client.force_login(world["users"]["agent"])
    before = Recordal.objects.count()
    response = client.post(
        reverse("portal:recordal_import"),
        {
            "file": _upload("r.csv", content, "text/csv"),
            "documents": _upload("d.zip", docs, "application/zip"),
            "mode": "all",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Recordal.objects.count() == before + 1
    assert Recordal.objects.filter(registration_number="41234568", status="draft").exists()


@pytest.mark.parametrize("maker", [_zip_with_bad_crc, _encrypted_flag_zip])
def test_a_zip_document_that_cannot_be_read_is_an_error_of_its_row(world, maker):
    """A member with a wrong checksum or one asking for a password was a 500; it is the
    row's error in the column that names it. (A member whose declared size lies is read up to
    that size only: zip_lying_size above, no bomb.)"""
    outcome = probe(
        world["users"]["agent"],
        "POST",
        reverse("portal:recordal_import"),
        {"file": _good_csv(), "documents": _upload("d.zip", maker(), "x"), "mode": "all"},
    )
    assert (outcome["status"], outcome["changed"]) == (400, False)
    report = outcome["response"].context["report"]
    assert any(e.column == "doc_registration_certificate" for e in report.errors)
