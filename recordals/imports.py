"""Recordal drafts in bulk, from a spreadsheet (Excel .xlsx or CSV) and a ZIP of documents.

Every row is judged as an API call would be: the API's own input serializer
(recordals.inputs.RightInput, with its licensee, goods and infringer serializers), then the
right's rules (services.validate_right, R1), the holder the user acts for (R2, R3) and each
document as `recordal_attach` checks it (by content and size, R4). Only then are drafts
created, through the services (recordal_create_draft, recordal_attach), in one
transaction: all or nothing, unless the user chose to import only the valid rows.

The template (`template_xlsx`, `template_csv`) has one column per field of a draft; its
headers are bilingual ("注册号 / Registration number") and a header in either language,
or the field's code, is understood. Lists in one cell (licensees, known infringers,
document file names) are entries separated by ";" or new lines, the parts of an entry by
"|": the template's second sheet (and the CSV's notes row, starting with "#") says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.scoping import authorised_holder_ids
from core.errors import DomainError, InvalidInput
from core.files import MAX_UPLOAD_BYTES, check_upload
from recordals import services
from recordals.inputs import RightInput  # the one definition of a draft's input
from recordals.models import (
    Attachment,
    KnownInfringer,
    Licensee,
    PatentType,
    Recordal,
    RecordalKind,
)

# The page takes files of at most this many rows (the function itself takes any): about
# 25 s at the benchmark's pace, well within the web server's 60 s (config/launcher.py).
MAX_ROWS = 1000
MAX_ZIP_BYTES = 200 * 1024 * 1024  # what the ZIP's documents may add up to, unpacked
ENTRY_SEPARATOR = re.compile("[;\n\uff1b]")  # ";" or its full-width form
PART_SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazily translated
    note: object = ""
    required: bool = False
    example: str = ""

    def header(self) -> str:
        """The template's header: Chinese / English, whatever the reader's language."""
        with translation.override("zh-hans"):
            chinese = str(self.label)
        with translation.override("en"):
            english = str(self.label)
        return english if chinese == english else f"{chinese} / {english}"


DOCUMENT_KINDS = {
    "doc_registration_certificate": Attachment.Kind.REGISTRATION_CERTIFICATE,
    "doc_power_of_attorney": Attachment.Kind.POWER_OF_ATTORNEY,
    "doc_goods_photo": Attachment.Kind.GOODS_PHOTO,
    "doc_packaging_photo": Attachment.Kind.PACKAGING_PHOTO,
    "doc_evaluation_report": Attachment.Kind.EVALUATION_REPORT,
}
FILE_NOTE = _("File names in the ZIP of documents, separated by ;")

COLUMNS = (
    Column("holder", _("Rights holder"),
           _("The holder's name (English or Chinese) as the service knows it; empty: your "
             "own organisation, or your only client."), example="Pop Mart International"),
    Column("kind", _("Kind of right"),
           _("trademark, copyright, patent or special_symbol, or its name (商标, 著作权, 专利)."),
           required=True, example="trademark"),
    Column("right_name", _("Name of the right"), _("Mark text, work title or patent title."),
           required=True, example="LABUBU"),
    Column("registration_number", _("Registration number"),
           _("Required for trademarks and patents (R1)."), example="41234567"),
    Column("nice_classes", _("Nice classes"),
           _("Trademarks: goods classes 1-34 separated by commas (R1)."), example="28, 16"),
    Column("is_madrid", _("Madrid mark"),
           _("yes or no (是 / 否); a Madrid mark is recorded one class per row (R1)."),
           example="no"),
    Column("work_type", _("Type of work"), _("Copyright: e.g. fine art."), example=""),
    Column("patent_type", _("Patent type"),
           _("Patents: invention, utility_model or design (发明, 实用新型, 外观设计)."),
           example=""),
    Column("right_valid_from", _("Right valid from"), _("A date, YYYY-MM-DD."),
           example="2020-06-14"),
    Column("right_valid_until", _("Right valid until"), _("A date, YYYY-MM-DD."),
           example="2030-06-13"),
    Column("description", _("Content of the right"), example=""),
    Column("goods_name", _("Genuine goods"), _("The genuine product's name (R4)."),
           example="Plush toys"),
    Column("goods_hs_code", _("HS code"), _("4 to 10 digits."), example="950300"),
    Column("goods_origin_country", _("Origin"), _("An ISO country code, e.g. CN."),
           example="CN"),
    Column("goods_usual_ports", _("Usual ports"), example="Ningbo, Shanghai"),
    Column("goods_main_traders", _("Main importers/exporters"), example=""),
    Column("goods_features", _("Main features"), example="Holographic label"),
    Column("goods_price_min", _("Lowest price (CNY)"), example="59.00"),
    Column("goods_price_max", _("Highest price (CNY)"), example="599.00"),
    Column("licensees", _("Licensees"),
           _("name | role | country | licence valid until; the next ... Roles: manufacturer, "
             "importer, exporter, user."), example="Dongguan Toy Works | manufacturer | CN"),
    Column("known_infringers", _("Known infringers"),
           _("name | role | country | ports | features | price; the next ..."),
           example="Fake Toys Trading | exporter | CN | Ningbo | blurred label | 20"),
    Column("doc_registration_certificate", _("Registration certificate file"), FILE_NOTE,
           example="certificate-41234567.pdf"),
    Column("doc_power_of_attorney", _("Power of attorney file"), FILE_NOTE,
           example="power-of-attorney.pdf"),
    Column("doc_goods_photo", _("Goods photo file"), FILE_NOTE, example="goods.jpg"),
    Column("doc_packaging_photo", _("Packaging photo file"), FILE_NOTE, example="packaging.jpg"),
    Column("doc_evaluation_report", _("Patent evaluation report file"), FILE_NOTE, example=""),
)  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}
RIGHT_KEYS = ("kind", "right_name", "registration_number", "nice_classes", "is_madrid",
              "work_type", "patent_type", "right_valid_from", "right_valid_until",
              "description")  # fmt: skip
GOODS_FIELDS = ("name", "hs_code", "origin_country", "usual_ports", "main_traders", "features",
                "price_min", "price_max")  # fmt: skip
LICENSEE_PARTS = ("name", "role", "country", "valid_until")
INFRINGER_PARTS = ("name", "role", "country", "ports", "features", "price")


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # the row's number in the file, as a spreadsheet numbers it (header: 1)
    column: str | None  # a column's key; None: the row as a whole
    reason: str

    @property
    def column_label(self) -> str:
        return str(BY_KEY[self.column].label) if self.column in BY_KEY else ""


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: list[Recordal] = field(default_factory=list)
    valid_only: bool = False

    @property
    def bad_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors})

    @property
    def valid_rows(self) -> int:
        return self.rows - len(self.bad_rows)


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read (its format, its headers, its size)."""


# --- reading the file ---------------------------------------------------------------------


def _norm(text) -> str:
    return re.sub("[\\s*\uff0a]+", "", str(text or "")).casefold()


def _aliases(labels) -> dict[str, str]:
    """Each choice under its code, its English name and its Chinese name."""
    found = {}
    for value, label in labels:
        found[_norm(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[_norm(label)] = value
    return found


def header_keys() -> dict[str, str]:
    """Every header the parser understands: the bilingual one, either language's, the code."""
    found = {}
    for column in COLUMNS:
        header = column.header()
        found[_norm(column.key)] = column.key
        found[_norm(header)] = column.key
        for part in header.split(" / "):
            found[_norm(part)] = column.key
    return found


def _cell(value) -> str:
    """A cell as text: Excel's numbers without a trailing .0, its dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, filename: str = "") -> list[tuple[int, list[str]]]:
    """(row number, cells) of the file's sheet, header first; CSV in UTF-8 or GB18030."""
    name = filename.lower()
    if content[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith(".xls") or content[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError({"file": gettext("Save the workbook as .xlsx or .csv first.")})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError({"file": gettext("The CSV is neither UTF-8 nor GB18030 text.")})
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": the csv module reads \r, \n and \r\n line ends itself, in quoted cells too.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [_cell(c) for c in cells]))
    except csv.Error as error:  # a cell over the csv module's limit, a stray quote
        raise ImportFileError(
            {"file": gettext("The CSV cannot be read at line %(line)s: a cell is too long or "
                             "a quote is not closed.") % {"line": reader.line_num}}
        ) from error  # fmt: skip
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(
            {"file": gettext("This is not a readable .xlsx workbook.")}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell(c) for c in cells])
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _table(rows, max_rows: int | None):
    """The header's column keys by position, and the data rows (comments, empty skipped)."""
    rows = [(n, cells) for n, cells in rows if any(cells)]
    rows = [(n, cells) for n, cells in rows if not cells[0].startswith("#")]
    if not rows:
        raise ImportFileError({"file": gettext("The file has no header row.")})
    (_, header), data = rows[0], rows[1:]
    known = header_keys()
    keys: list[str | None] = []
    unknown = []
    for text in header:
        key = known.get(_norm(text))
        if text and key is None:
            unknown.append(text)
        keys.append(key)
    problems = []
    if unknown:
        problems.append(
            gettext("Unknown columns: %(columns)s. Use the template's headers.")
            % {"columns": ", ".join(unknown)}
        )
    missing = [c.header() for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        problems.append(gettext("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    twice = sorted({k for k in keys if k and keys.count(k) > 1})
    if twice:
        problems.append(
            gettext("Columns given twice: %(columns)s.")
            % {"columns": ", ".join(BY_KEY[k].header() for k in twice)}
        )
    if max_rows is not None and len(data) > max_rows:
        problems.append(
            gettext("At most %(limit)s rows per file; this one has %(rows)s.")
            % {"limit": max_rows, "rows": len(data)}
        )
    if problems:
        raise ImportFileError({"file": problems})
    return keys, data


# --- one row -------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    holder: Organisation | None = None
    right: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    documents: list[tuple[str, str, str]] = field(default_factory=list)  # (column, kind, name)

    def error(self, column: str | None, reason) -> None:
        self.errors.append(RowError(self.number, column, str(reason)))

    def judged(self, column: str | None, reason) -> None:
        """An error of the API's or the service's judgement, unless the cell itself could
        not be read (already said: its value was left out)."""
        if not any(e.column == column and column for e in self.errors):
            self.error(column, reason)


def _entries(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in entry.split(PART_SEPARATOR)]
        for entry in ENTRY_SEPARATOR.split(text)
        if entry.strip()
    ]


def _yes_no(text: str) -> bool | None:
    value = _norm(text)
    if value in ("", "no", "n", "false", "0", "否", "不是"):
        return False
    if value in ("yes", "y", "true", "1", "是"):
        return True
    return None


class Parser:
    """Turns the cells of a row into what the API takes, and judges it."""

    def __init__(self, actor: User, documents: Documents | None):
        self.actor = actor
        self.documents = documents
        self.holders = list(_holders_of(actor))
        self.holder_names = {}
        for holder in self.holders:
            for name in (holder.name_en, holder.name_zh, str(holder.pk)):
                if name:
                    self.holder_names[_norm(name)] = holder
        self.kinds = _aliases(RecordalKind.choices)
        self.patent_types = _aliases(PatentType.choices)
        self.roles = _aliases(Licensee.Role.choices)

    def parse(self, row: Row) -> None:
        cells = row.cells
        self._holder(row, cells.get("holder", ""))
        payload: dict = {}
        text = cells.get("kind", "")
        payload["kind"] = self.kinds.get(_norm(text), text)
        for key in ("right_name", "registration_number", "work_type", "description",
                    "right_valid_from", "right_valid_until"):  # fmt: skip
            if cells.get(key):
                payload[key] = cells[key]
        if cells.get("patent_type"):
            text = cells["patent_type"]
            payload["patent_type"] = self.patent_types.get(_norm(text), text)
        if cells.get("nice_classes"):
            parts = [p for p in re.split("[,;\\s\uff0c\uff1b\u3001]+", cells["nice_classes"]) if p]
            if all(p.isdigit() for p in parts):
                payload["nice_classes"] = [int(p) for p in parts]
            else:
                row.error(
                    "nice_classes", gettext("Class numbers separated by commas, e.g. 28, 16.")
                )
        madrid = _yes_no(cells.get("is_madrid", ""))
        if madrid is None:
            row.error("is_madrid", gettext("Write yes or no."))
        else:
            payload["is_madrid"] = madrid
        goods = {name: cells.get(f"goods_{name}", "") for name in GOODS_FIELDS}
        if any(goods.values()):
            payload["genuine_goods"] = [{k: v for k, v in goods.items() if v or k == "name"}]
        payload["licensees"] = self._licensees(row, cells.get("licensees", ""))
        payload["known_infringers"] = self._infringers(row, cells.get("known_infringers", ""))
        self._validate(row, payload)
        self._documents(row)

    def _holder(self, row: Row, text: str) -> None:
        if text:
            row.holder = self.holder_names.get(_norm(text))
            if row.holder is None:
                row.error(
                    "holder",
                    gettext("Not a rights holder you may file for (R2, R3): %(name)s.")
                    % {"name": text},
                )
        elif len(self.holders) == 1:
            row.holder = self.holders[0]
        else:
            row.error(
                "holder",
                gettext("Name the rights holder: you file for several.")
                if self.holders
                else gettext("You file for no rights holder (R2, R3)."),
            )

    def _licensees(self, row: Row, text: str) -> list[dict]:
        found = []
        for number, parts in enumerate(_entries(text), start=1):
            if len(parts) > len(LICENSEE_PARTS):
                row.error("licensees", _too_many(number, LICENSEE_PARTS))
                continue
            entry = dict(zip(LICENSEE_PARTS, parts, strict=False))
            if entry.get("role"):
                entry["role"] = self.roles.get(_norm(entry["role"]), entry["role"])
            found.append({k: v for k, v in entry.items() if v or k == "name"})
        return found

    def _infringers(self, row: Row, text: str) -> list[dict]:
        found = []
        for number, parts in enumerate(_entries(text), start=1):
            if len(parts) > len(INFRINGER_PARTS):
                row.error("known_infringers", _too_many(number, INFRINGER_PARTS))
                continue
            entry = dict(zip(INFRINGER_PARTS, parts, strict=False))
            found.append({k: v for k, v in entry.items() if v or k == "name"})
        return found

    def _validate(self, row: Row, payload: dict) -> None:
        """As POST /api/v1/recordals/ judges it: the API's serializer, then R1's rules."""
        data = RightInput(data=payload)
        if not data.is_valid():
            for name, problems in data.errors.items():
                _serializer_errors(row, name, problems)
            return
        values = dict(data.validated_data)
        values.pop("holder", None)
        values.pop("registered", None)
        children = ("licensees", "genuine_goods", "known_infringers")
        row.children = {k: values.pop(k) for k in children if k in values}
        try:
            row.right = services.validate_right(values)
        except InvalidInput as error:
            for name, messages in error.errors.items():
                for message in messages:
                    row.judged(name if name in BY_KEY else None, message)

    def _documents(self, row: Row) -> None:
        for column, kind in DOCUMENT_KINDS.items():
            for parts in _entries(row.cells.get(column, "")):
                name = PART_SEPARATOR.join(parts)
                if self.documents is None:
                    row.error(column, gettext("No ZIP of documents was uploaded: %(name)s.")
                              % {"name": name})  # fmt: skip
                    continue
                problem = self.documents.check(name, kind)
                if problem:
                    row.error(column, problem)
                else:
                    row.documents.append((column, kind, name))


def _too_many(number: int, parts) -> str:
    return gettext("Entry %(n)s has more parts than %(parts)s.") % {
        "n": number,
        "parts": " | ".join(parts),
    }


GOODS_COLUMN = {name: f"goods_{name}" for name in GOODS_FIELDS}


def _flatten(problems) -> list[str]:
    if isinstance(problems, dict):
        return [m for value in problems.values() for m in _flatten(value)]
    if isinstance(problems, list | tuple):
        return [m for value in problems for m in _flatten(value)]
    return [str(problems)]


def _serializer_errors(row: Row, name: str, problems) -> None:
    """The serializer's errors on the columns they came from."""
    if name == "genuine_goods":
        for entry in problems if isinstance(problems, list) else [problems]:
            if isinstance(entry, dict):
                for key, messages in entry.items():
                    for message in _flatten(messages):
                        row.error(GOODS_COLUMN.get(key, "goods_name"), message)
            else:
                for message in _flatten(entry):
                    row.error("goods_name", message)
        return
    if name in ("licensees", "known_infringers"):
        entries = problems if isinstance(problems, list) else [problems]
        for number, entry in enumerate(entries, start=1):
            if not entry:
                continue
            if isinstance(entry, dict):
                model = Licensee if name == "licensees" else KnownInfringer
                for key, messages in entry.items():
                    part = _part_label(model, key)
                    for message in _flatten(messages):
                        row.error(
                            name,
                            gettext("Entry %(n)s, %(part)s: %(reason)s")
                            % {"n": number, "part": part, "reason": message},
                        )
            else:
                for message in _flatten(entry):
                    row.error(name, message)
        return
    for message in _flatten(problems):
        row.judged(name if name in BY_KEY else None, message)


def _part_label(model, key: str) -> str:
    try:
        return str(model._meta.get_field(key).verbose_name)
    except Exception:  # a non-field error of the entry
        return key


def _holders_of(actor: User):
    """The holders a user files for: its own organisation, or an agent's clients today."""
    if actor.role == User.Role.AGENT:
        return Organisation.objects.filter(
            pk__in=authorised_holder_ids(actor.organisation_id),
            kind=Organisation.Kind.RIGHTS_HOLDER,
        ).order_by("name_en")
    if actor.role == User.Role.HOLDER and actor.organisation_id:
        return Organisation.objects.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


# --- the ZIP of documents -----------------------------------------------------------------


# What reading one file of a damaged ZIP raises: a wrong checksum or size, a broken
# stream, a password asked for, a compression method Python does not know.
UNREADABLE_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


class Documents:
    """The ZIP's files by name (its base name, any folder inside ignored), each checked
    once per kind as `recordal_attach` checks it."""

    def __init__(self, upload):
        try:
            self.zip = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, OSError) as error:
            raise ImportFileError(
                {"documents": gettext("This is not a readable ZIP file.")}
            ) from error
        infos = [info for info in self.zip.infolist() if not info.is_dir()]
        if sum(info.file_size for info in infos) > MAX_ZIP_BYTES:
            raise ImportFileError(
                {"documents": gettext("The ZIP's files add up to more than %(megabytes)s MB.")
                 % {"megabytes": MAX_ZIP_BYTES // (1024 * 1024)}}
            )  # fmt: skip
        self.by_name = {}
        self.by_folded = {}
        for info in infos:
            base = PurePosixPath(info.filename.replace("\\", "/")).name
            self.by_name.setdefault(base, info)
            self.by_folded.setdefault(base.casefold(), info)
        self.checked: dict[tuple[str, str], str] = {}

    def find(self, name: str):
        base = PurePosixPath(name.replace("\\", "/")).name
        return self.by_name.get(base) or self.by_folded.get(base.casefold())

    def upload(self, name: str) -> SimpleUploadedFile:
        info = self.find(name)
        return SimpleUploadedFile(PurePosixPath(info.filename).name, self.zip.read(info))

    def check(self, name: str, kind: str) -> str:
        """'' when the file is there and acceptable for `kind`; the reason otherwise."""
        key = (name, kind)
        if key not in self.checked:
            info = self.find(name)
            if info is None:
                self.checked[key] = gettext("No file named %(name)s in the ZIP.") % {"name": name}
            elif info.file_size > MAX_UPLOAD_BYTES:
                self.checked[key] = gettext("%(name)s is larger than %(megabytes)s MB.") % {
                    "name": name,
                    "megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
                }
            else:
                try:
                    upload = self.upload(name)
                except UNREADABLE_MEMBER:
                    self.checked[key] = gettext("%(name)s cannot be read from the ZIP.") % {
                        "name": name
                    }
                    return self.checked[key]
                try:
                    check_upload(upload, field="file", allowed=services.attachment_types(kind))
                    self.checked[key] = ""
                except InvalidInput as error:
                    self.checked[key] = f"{name}: {error.message}"
        return self.checked[key]


# --- the import ---------------------------------------------------------------------------


def parse(actor: User, content: bytes, filename: str = "", documents=None,
          max_rows: int | None = MAX_ROWS) -> list[Row]:  # fmt: skip
    """Every row of the file, judged (nothing written)."""
    keys, data = _table(read_rows(content, filename), max_rows)
    parser = Parser(actor, documents)
    rows = []
    for number, cells in data:
        row = Row(number, {k: v for k, v in zip(keys, cells, strict=False) if k and v})
        parser.parse(row)
        rows.append(row)
    return rows


def import_drafts(
    *,
    actor: User,
    content: bytes,
    filename: str = "",
    documents_upload=None,
    valid_only: bool = False,
    max_rows: int | None = MAX_ROWS,
) -> ImportReport:
    """Validate every row, then create the drafts through the services in one transaction:
    none unless every row is valid, or, when `valid_only`, those of the valid rows.
    Raises ImportFileError when the file (or the ZIP) cannot be read as a whole."""
    documents = Documents(documents_upload) if documents_upload is not None else None
    rows = parse(actor, content, filename, documents, max_rows)
    report = ImportReport(rows=len(rows), valid_only=valid_only)
    for row in rows:
        report.errors.extend(sorted(row.errors, key=_column_order))
    if report.errors and not valid_only:
        return report
    stored: list[str] = []
    try:
        with transaction.atomic():
            for row in rows:
                if row.errors:
                    continue
                try:
                    with transaction.atomic():
                        report.created.append(_create(actor, row, documents, stored))
                except (DomainError, ValidationError) as error:
                    for column, message in _domain_errors(error):
                        report.errors.append(RowError(row.number, column, message))
            if report.errors and not valid_only:
                raise _RollBack
    except _RollBack:
        for name in stored:  # the files of the drafts rolled back
            default_storage.delete(name)
        report.created = []
    report.errors.sort(key=lambda error: error.row)  # stable: in column order within a row
    return report


def _column_order(error: RowError) -> int:
    return list(BY_KEY).index(error.column) if error.column in BY_KEY else -1


class _RollBack(Exception):
    pass


def _create(actor: User, row: Row, documents: Documents | None, stored: list[str]) -> Recordal:
    recordal = services.recordal_create_draft(
        actor=actor, holder=row.holder, right=row.right, **row.children
    )
    for column, kind, name in row.documents:
        try:
            attachment = services.recordal_attach(
                actor=actor, recordal=recordal, kind=kind, upload=documents.upload(name)
            )
        except InvalidInput as error:
            raise InvalidInput({column: error.message}) from None
        stored.append(attachment.file.name)
    return recordal


def _domain_errors(error) -> list[tuple[str | None, str]]:
    if isinstance(error, InvalidInput):
        return [
            (name if name in BY_KEY else None, message)
            for name, messages in error.errors.items()
            for message in messages
        ]
    if isinstance(error, ValidationError):
        return [(None, message) for message in error.messages]
    return [(None, error.message or str(error))]


# --- the template --------------------------------------------------------------------------


def _notes_rows() -> list[list[str]]:
    return [
        [
            column.header(),
            gettext("required") if column.required else gettext("optional"),
            str(column.note),
            column.example,
        ]
        for column in COLUMNS
    ]


def template_csv() -> bytes:
    """The header row, then a notes row (starting with #, skipped on import). UTF-8 with a
    byte-order mark, so that Excel opens the Chinese headers as such."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header() for column in COLUMNS])
    notes = [f"{'; '.join(filter(None, [str(c.note), c.example]))}" for c in COLUMNS]
    notes[0] = "# " + notes[0]
    writer.writerow(notes)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """Sheet 1: the headers (the rows to fill in); sheet 2: what each column takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Recordals")
    for number, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header())
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = 24
        # Registration numbers and classes stay text: 00123 is not 123.
        for row in range(2, 1002):
            sheet.cell(row=row, column=number).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(gettext("Notes"))
    headers = [gettext("Column"), gettext("Required"), gettext("What it takes"),
               gettext("Example")]  # fmt: skip
    for number, header in enumerate(headers, start=1):
        notes.cell(row=1, column=number, value=header).font = Font(bold=True)
    for row_number, values in enumerate(_notes_rows(), start=2):
        for number, value in enumerate(values, start=1):
            cell = notes.cell(row=row_number, column=number, value=value)
            cell.data_type = "s"
    for letter, width in zip("ABCD", (40, 12, 80, 50), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
