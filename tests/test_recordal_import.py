"""Recordal drafts imported from a spreadsheet (issue 18, recordals/imports.py): every kind of
row error reported with its row, column and reason (as the API and R1-R4 judge it); all or
nothing, or by choice the valid rows only; documents from a ZIP by file name; headers in
Chinese, English or both; CSV (UTF-8 or GB18030) and Excel; the template; the page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.tests.factories import AuthorisationFactory, RightsHolderFactory
from core.demo_files import pdf_bytes, png_bytes
from recordals import imports
from recordals.imports import COLUMNS, ImportFileError, import_drafts
from recordals.models import Attachment, Recordal, RecordalEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "holder": "Holder A",
    "kind": "trademark",
    "right_name": "LABUBU",
    "registration_number": "41234567",
    "nice_classes": "28",
    "right_valid_from": "2020-06-14",
    "right_valid_until": "2030-06-13",
    "goods_name": "Plush toys",
    "goods_hs_code": "950300",
    "goods_origin_country": "CN",
    "goods_price_min": "59.00",
    "goods_price_max": "599.00",
    "licensees": "Dongguan Toy Works | manufacturer | CN",
    "known_infringers": "Fake Toys Trading | exporter | CN | Ningbo | blurred label | 20",
    "doc_registration_certificate": "cert.pdf",
    "doc_power_of_attorney": "poa.pdf",
    "doc_goods_photo": "goods.png",
}


def row(**changes) -> dict:
    return {**GOOD, **changes}


def header(column, language: str) -> str:
    if language == "code":
        return column.key
    bilingual = column.header()
    if language == "both":
        return bilingual
    chinese, _, english = bilingual.partition(" / ")
    return chinese if language == "zh" else english or chinese


def sheet(rows: list[dict], *, fmt="csv", language="both", encoding="utf-8") -> bytes:
    columns = COLUMNS
    headers = [header(c, language) for c in columns]
    if fmt == "xlsx":
        workbook = Workbook()
        ws = workbook.active
        ws.append(headers)
        for values in rows:
            ws.append([values.get(c.key, "") for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(c.key, "") for c in columns])
    return buffer.getvalue().encode(encoding)


def documents(**files) -> io.BytesIO:
    files = files or {"cert.pdf": pdf_bytes(), "poa.pdf": pdf_bytes(), "goods.png": png_bytes()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


@pytest.fixture
def agent(parties):
    return parties["users"]["agent_a"]


def run(actor, rows, *, docs=True, fmt="csv", valid_only=False, **kwargs):
    return import_drafts(
        actor=actor,
        content=sheet(rows, fmt=fmt, **kwargs),
        filename=f"drafts.{fmt}",
        documents_upload=documents() if docs is True else docs,
        valid_only=valid_only,
    )


def errors_of(report) -> list[tuple[int, str | None]]:
    return [(error.row, error.column) for error in report.errors]


# --- every kind of row error: row, column, reason; nothing created --------------------------

ERRORS = [
    # (changes to the second data row, the column, words of the reason)
    ({"kind": "trademarks"}, "kind", "is not a valid choice"),
    ({"right_name": ""}, "right_name", "This field is required"),
    ({"registration_number": "12AB"}, "registration_number", "Wrong format for a trademark"),
    ({"registration_number": ""}, "registration_number", "Required for a registered right (R1)"),
    ({"nice_classes": "28, 36"}, "nice_classes", "service classes (35-45)"),
    ({"nice_classes": "28 or 16"}, "nice_classes", "Class numbers separated by commas"),
    ({"nice_classes": "46"}, "nice_classes", "Nice classes run from 1 to 45"),
    ({"is_madrid": "maybe"}, "is_madrid", "Write yes or no"),
    ({"is_madrid": "yes", "nice_classes": "28, 16"}, "nice_classes", "one class per recordal"),
    ({"patent_type": "design"}, "patent_type", "Only patents have a patent type"),
    ({"kind": "patent", "registration_number": "ZL202010123456.7", "nice_classes": ""},
     "patent_type", "invention, utility model or design"),
    ({"right_valid_from": "2020-13-01"}, "right_valid_from", "Date has wrong format"),
    ({"right_valid_until": "2019-01-01"}, "right_valid_until", "must end after it starts"),
    ({"goods_hs_code": "95"}, "goods_hs_code", "An HS code has 4 to 10 digits"),
    ({"goods_origin_country": "ZZ"}, "goods_origin_country", "ISO 3166-1"),
    ({"goods_price_max": "10"}, "goods_price_max", "Must not be below price_min"),
    ({"goods_price_min": "cheap"}, "goods_price_min", "A valid number is required"),
    ({"goods_name": "", "goods_hs_code": "950300"}, "goods_name", "may not be blank"),
    ({"licensees": "Dongguan Toy Works | boss"}, "licensees", "Entry 1, role"),
    ({"licensees": "a | manufacturer | CN | 2027-01-01 | extra"}, "licensees", "more parts"),
    ({"known_infringers": "Fake Toys |  | ZZ"}, "known_infringers", "Entry 1, country"),
    ({"holder": "Holder B"}, "holder", "Not a rights holder you may file for (R2, R3)"),
    ({"holder": "Nobody Ltd."}, "holder", "Not a rights holder you may file for"),
    ({"doc_goods_photo": "missing.png"}, "doc_goods_photo", "No file named missing.png"),
    ({"doc_goods_photo": "cert.pdf"}, "doc_goods_photo", "Only PNG, JPEG files"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "column", "reason"), ERRORS)
def test_r1_r4_each_error_names_its_row_column_and_reason(agent, changes, column, reason):
    report = run(agent, [row(), row(**changes), row(registration_number="41234568")])
    assert errors_of(report) == [(3, column)]  # the header is row 1
    assert reason in report.errors[0].reason
    assert report.rows == 3 and report.valid_rows == 2
    assert report.created == []
    assert Recordal.objects.count() == 0 and Attachment.objects.count() == 0


def test_documents_named_without_a_zip_are_an_error(agent):
    report = run(agent, [row()], docs=None)
    assert errors_of(report) == [(2, "doc_registration_certificate"),
                                 (2, "doc_power_of_attorney"), (2, "doc_goods_photo")]  # fmt: skip
    assert "No ZIP of documents was uploaded: cert.pdf" in report.errors[0].reason


def test_several_errors_of_a_row_are_each_reported_in_column_order(agent):
    report = run(agent, [row(kind="", goods_hs_code="9", holder="Holder B", is_madrid="?")])
    assert errors_of(report) == [(2, "holder"), (2, "kind"), (2, "is_madrid"),
                                 (2, "goods_hs_code")]  # fmt: skip


def test_reasons_and_columns_are_in_the_readers_language(agent):
    with translation.override("zh-hans"):
        report = run(agent, [row(is_madrid="maybe")])
        error = report.errors[0]
        assert error.column_label == "马德里国际注册商标"
        assert error.reason == "请填写“是”或“否”。"


# --- all or nothing, or the valid rows only --------------------------------------------------


def test_nothing_is_created_unless_every_row_is_valid(agent):
    report = run(agent, [row(), row(kind="?"), row(registration_number="41234568")])
    assert report.created == [] and errors_of(report) == [(3, "kind")]
    assert Recordal.objects.count() == 0
    assert RecordalEvent.objects.count() == 0


def test_by_choice_only_the_valid_rows_are_created(agent, parties):
    rows = [row(), row(kind="?"), row(registration_number="41234568", right_name="MOLLY")]
    report = run(agent, rows, valid_only=True)
    assert errors_of(report) == [(3, "kind")]
    assert [r.right_name for r in report.created] == ["LABUBU", "MOLLY"]
    recordal = Recordal.objects.get(right_name="MOLLY")
    assert recordal.status == "draft"
    assert recordal.holder == parties["holder_a"]
    assert recordal.filed_by_agency == parties["agency_a"]  # R3: filed by the agency
    assert recordal.nice_classes == [28]
    assert recordal.right_valid_until == dt.date(2030, 6, 13)
    goods = recordal.genuine_goods.get()
    assert (goods.name, goods.hs_code, str(goods.price_min), str(goods.price_max)) == (
        "Plush toys", "950300", "59.00", "599.00")  # fmt: skip
    assert list(recordal.licensees.values_list("name", "role", "country")) == [
        ("Dongguan Toy Works", "manufacturer", "CN")
    ]
    infringer = recordal.known_infringers.get()
    assert (infringer.name, infringer.role, infringer.ports, infringer.price) == (
        "Fake Toys Trading", "exporter", "Ningbo", "20")  # fmt: skip
    assert sorted(recordal.attachments.values_list("kind", "content_type")) == [
        ("goods_photo", "image/png"),
        ("power_of_attorney", "application/pdf"),
        ("registration_certificate", "application/pdf"),
    ]
    assert list(recordal.events.values_list("action", "actor")) == [("create", agent.pk)]


def test_a_file_of_valid_rows_creates_every_draft_in_one_go(agent):
    rows = [row(registration_number=f"4123{n:04d}") for n in range(20)]
    report = run(agent, rows)
    assert report.errors == [] and len(report.created) == 20
    assert Recordal.objects.filter(status="draft").count() == 20
    assert Attachment.objects.count() == 60


# --- documents from the ZIP by file name ------------------------------------------------------


def test_documents_match_by_file_name_in_any_folder_and_case(agent):
    docs = documents(**{"scans/CERT.pdf": pdf_bytes(), "letters/poa.pdf": pdf_bytes(),
                        "photos/Goods.PNG": png_bytes()})  # fmt: skip
    rows = [row(), row(registration_number="41234568", doc_goods_photo="goods.png; Goods.PNG")]
    report = run(agent, rows, docs=docs)
    assert report.errors == []
    second = report.created[1]
    assert second.attachments.filter(kind="goods_photo").count() == 2  # one name given twice
    assert Attachment.objects.filter(kind="power_of_attorney").count() == 2  # shared by rows


def test_a_document_that_is_not_what_its_name_says_is_refused(agent):
    docs = documents(**{"cert.pdf": b"<html>not a pdf</html>", "poa.pdf": pdf_bytes(),
                        "goods.png": png_bytes()})  # fmt: skip
    report = run(agent, [row()], docs=docs)
    assert errors_of(report) == [(2, "doc_registration_certificate")]
    assert report.errors[0].reason == "cert.pdf: Only PDF, PNG, JPEG files are accepted."


def test_a_broken_zip_is_an_error_of_the_upload(agent):
    with pytest.raises(ImportFileError) as caught:
        run(agent, [row()], docs=io.BytesIO(b"not a zip"))
    assert caught.value.errors == {"documents": ["This is not a readable ZIP file."]}


# --- headers in either language, CSV and Excel ------------------------------------------------


@pytest.mark.parametrize("language", ["both", "zh", "en", "code"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_headers_in_chinese_english_or_both_in_csv_and_excel(agent, language, fmt):
    report = run(agent, [row(), row(registration_number="41234568")], fmt=fmt, language=language)
    assert report.errors == []
    assert sorted(r.registration_number for r in report.created) == ["41234567", "41234568"]


def test_excel_numbers_and_dates_are_read_as_written(agent):
    workbook = Workbook()
    ws = workbook.active
    ws.append([c.header() for c in COLUMNS])
    values = {**row(), "registration_number": 41234567, "nice_classes": 28,
              "right_valid_from": dt.datetime(2020, 6, 14), "goods_price_min": 59.5}  # fmt: skip
    ws.append([values.get(c.key, "") for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_drafts(actor=agent, content=buffer.getvalue(), filename="x.xlsx",
                           documents_upload=documents())  # fmt: skip
    assert report.errors == []
    recordal = report.created[0]
    assert (recordal.registration_number, recordal.nice_classes) == ("41234567", [28])
    assert recordal.right_valid_from == dt.date(2020, 6, 14)
    assert str(recordal.genuine_goods.get().price_min) == "59.50"


def test_a_csv_saved_by_chinese_excel_gb18030_is_read(agent):
    report = run(agent, [row(right_name="泡泡玛特")], language="zh", encoding="gb18030")
    assert report.errors == [] and report.created[0].right_name == "泡泡玛特"


def test_choices_are_understood_by_their_chinese_names(agent):
    rows = [row(kind="商标", is_madrid="否", licensees="东莞玩具厂 | 生产商 | CN")]
    report = run(agent, rows)
    assert report.errors == []
    assert report.created[0].licensees.get().role == "manufacturer"


def test_unknown_missing_and_repeated_columns_are_errors_of_the_file(agent):
    text = "知识产权名称 / Name of the right,Colour,kind,类型\r\nLABUBU,red,trademark,x\r\n"
    with pytest.raises(ImportFileError) as caught:
        import_drafts(actor=agent, content=text.encode(), filename="x.csv")
    (problems,) = caught.value.errors.values()
    assert problems[0] == "Unknown columns: Colour, 类型. Use the template's headers."
    text = "注册号,right_name\r\n41234567,LABUBU\r\n"
    with pytest.raises(ImportFileError) as caught:
        import_drafts(actor=agent, content=text.encode(), filename="x.csv")
    assert caught.value.errors["file"] == ["Missing columns: 知识产权类型 / Kind of right."]
    text = "kind,right_name,知识产权名称\r\n"
    with pytest.raises(ImportFileError) as caught:
        import_drafts(actor=agent, content=text.encode(), filename="x.csv")
    assert "Columns given twice: 知识产权名称 / Name of the right." in caught.value.errors["file"]


def test_old_excel_files_and_too_many_rows_are_refused(agent):
    with pytest.raises(ImportFileError, match=r"as \.xlsx or \.csv"):
        import_drafts(actor=agent, content=b"\xd0\xcf\x11\xe0" + b"\0" * 60, filename="a.xls")
    with pytest.raises(ImportFileError, match="At most 2 rows per file; this one has 3"):
        imports.import_drafts(actor=agent, content=sheet([row()] * 3), max_rows=2)


# --- whose drafts ---------------------------------------------------------------------------


def test_r2_an_agent_of_several_holders_names_the_holder_of_each_row(agent, parties):
    other = RightsHolderFactory(name_en="Holder C", name_zh="丙公司")
    AuthorisationFactory(agency=parties["agency_a"], holder=other)
    report = run(agent, [row(holder=""), row(holder="丙公司", registration_number="41234568")])
    assert errors_of(report) == [(2, "holder")]
    assert report.errors[0].reason == "Name the rights holder: you file for several."
    report = run(agent, [row(holder="holder a"), row(holder="丙公司")])
    assert [r.holder for r in report.created] == [parties["holder_a"], other]


def test_r2_a_holder_imports_for_itself_only(parties):
    holder_b = parties["users"]["holder_b"]
    report = run(holder_b, [row(holder="")], docs=True)
    assert report.errors == []
    assert report.created[0].holder == parties["holder_b"]
    assert report.created[0].filed_by_agency is None
    report = run(holder_b, [row(holder="Holder A")])
    assert errors_of(report) == [(2, "holder")]


def test_an_agent_whose_authorisation_ended_files_for_nobody(parties):
    report = run(parties["users"]["agent_expired"], [row(holder="")])
    assert errors_of(report) == [(2, "holder")]
    assert report.errors[0].reason == "You file for no rights holder (R2, R3)."


# --- the template -----------------------------------------------------------------------------


def test_the_excel_template_has_bilingual_headers_and_notes(agent):
    workbook = load_workbook(io.BytesIO(imports.template_xlsx()))
    first, notes = workbook.worksheets
    headers = [cell.value for cell in first[1]]
    assert headers[:4] == [
        "权利人 / Rights holder",
        "知识产权类型 / Kind of right",
        "知识产权名称 / Name of the right",
        "注册号 / Registration number",
    ]
    assert len(headers) == len(COLUMNS)
    licensees = next(r for r in notes.iter_rows(values_only=True) if r[0].endswith("Licensees"))
    assert "name | role | country | licence valid until" in licensees[2]
    # Filled in and uploaded as it is, the template reads (no rows, no error).
    assert imports.parse(agent, imports.template_xlsx(), "t.xlsx") == []


def test_the_csv_templates_notes_row_is_skipped(agent):
    content = imports.template_csv()
    assert content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines[0][:2] == ["权利人 / Rights holder", "知识产权类型 / Kind of right"]
    assert lines[1][0].startswith("# ")
    filled = content + sheet([row()]).split(b"\r\n", 1)[1]
    report = import_drafts(actor=agent, content=filled, filename="t.csv",
                           documents_upload=documents())  # fmt: skip
    assert report.errors == [] and len(report.created) == 1
    assert report.rows == 1


# --- the page ---------------------------------------------------------------------------------


def upload(client, rows, *, mode="all", docs=True):
    data = {"file": io.BytesIO(sheet(rows)), "mode": mode}
    data["file"].name = "drafts.csv"
    if docs:
        data["documents"] = documents()
        data["documents"].name = "documents.zip"
    return client.post(reverse("portal:recordal_import"), data)


def test_the_page_reports_every_bad_row_and_creates_nothing(client, agent):
    client.force_login(agent)
    page = client.get(reverse("portal:recordal_import"))
    assert page.status_code == 200
    assert reverse("portal:recordal_import_template", args=["xlsx"]) in page.content.decode()
    rows = [row(registration_number=f"4123{n:04d}") for n in range(5)]
    rows[1]["goods_hs_code"] = "95"
    rows[3]["kind"] = "brand"
    response = upload(client, rows)
    assert response.status_code == 400
    report = response.context["report"]
    assert errors_of(report) == [(3, "goods_hs_code"), (5, "kind")]
    text = response.content.decode()
    assert "An HS code has 4 to 10 digits." in text and "2 rows have errors" in text
    assert Recordal.objects.count() == 0


def test_the_page_imports_and_lists_the_drafts_created(client, agent):
    client.force_login(agent)
    rows = [row(registration_number=f"4123{n:04d}") for n in range(3)]
    rows[1]["kind"] = "brand"
    response = upload(client, rows, mode="valid_only")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:recordal_import_result")
    result = client.get(response["Location"])
    assert [item["recordal"].registration_number for item in result.context["created"]] == [
        "41230000", "41230002"]  # fmt: skip
    assert [(e.row, e.column) for e in result.context["errors"]] == [(3, "kind")]
    assert "1 row left out" in result.content.decode()


def test_the_page_shows_a_file_it_cannot_read_on_the_form(client, agent):
    client.force_login(agent)
    data = {"file": io.BytesIO(b"Colour\r\nred\r\n"), "mode": "all"}
    data["file"].name = "x.csv"
    response = client.post(reverse("portal:recordal_import"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Unknown columns: Colour. Use the template's headers.",
        "Missing columns: 知识产权类型 / Kind of right, 知识产权名称 / Name of the right.",
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_downloads(client, agent, fmt):
    client.force_login(agent)
    response = client.get(reverse("portal:recordal_import_template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="recordals-template.{fmt}"'
    assert response.content == getattr(imports, f"template_{fmt}")() or fmt == "xlsx"


def test_anonymous_visitors_are_sent_to_sign_in_and_officers_to_the_admin(client, parties):
    for name in ("portal:recordal_import", "portal:recordal_import_result"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(parties["users"]["gacc"])
    assert client.get(reverse("portal:recordal_import"))["Location"] == reverse("admin:index")


def test_a_refusal_while_creating_rolls_every_draft_back_and_removes_their_files(
    agent, monkeypatch
):
    """All or nothing holds past validation too: a row the service refuses at creation
    (here its second document) undoes the rows created before it, files included."""
    from django.core.files.storage import default_storage

    from core.errors import Conflict
    from recordals import services

    attach, stored = services.recordal_attach, []

    def refusing(*, actor, recordal, kind, upload):
        if recordal.registration_number == "41234568" and kind == "power_of_attorney":
            raise Conflict("Refused by the service.")
        attachment = attach(actor=actor, recordal=recordal, kind=kind, upload=upload)
        stored.append(attachment.file.name)
        return attachment

    monkeypatch.setattr(services, "recordal_attach", refusing)
    report = run(agent, [row(), row(registration_number="41234568")])
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, None, "Refused by the service.")
    ]
    assert report.created == [] and Recordal.objects.count() == 0
    assert len(stored) == 4 and not any(default_storage.exists(name) for name in stored)
