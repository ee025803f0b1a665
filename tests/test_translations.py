"""Chinese first (issue 16): the zh_Hans catalogue holds every string marked for
translation, each translated, none fuzzy, and the compiled catalogue is the current one.

The strings are found the way a translator finds them: Django's makemessages over the
project's sources (scripts/extract-messages, in a scratch copy). `make messages` adds new
ones to the catalogue; translate them there (GLOSSARY.md's terms) and compile."""

import re
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
NOT_SOURCES = {"tests", "benchmarks", "docs", "scripts", "locale"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|%[sd]|\{\w*\}")


def sources() -> list[str]:
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if path.is_dir()
        and path.name not in NOT_SOURCES
        and ((path / "__init__.py").exists() or path.name == "templates")
    )


def translation_of(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> polib.POFile:
    out = tmp_path_factory.mktemp("messages") / "django.po"
    subprocess.run(
        [str(ROOT / "scripts" / "extract-messages"), str(out), *sources()],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return polib.pofile(str(out))


def test_every_marked_string_is_in_the_catalogue_translated(marked, catalogue):
    known = {(e.msgctxt, e.msgid) for e in catalogue if translation_of(e)}
    missing = [e.msgid for e in marked if (e.msgctxt, e.msgid) not in known]
    assert not missing, f"{len(missing)} strings not translated (make messages): {missing[:20]}"


def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(catalogue):
    untranslated = [e.msgid for e in catalogue if not translation_of(e) and not e.obsolete]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags and not e.obsolete]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_translations_keep_every_placeholder(catalogue):
    wrong = [
        e.msgid
        for e in catalogue
        if translation_of(e)
        and sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(translation_of(e)))
    ]
    assert not wrong, f"placeholders differ: {wrong[:20]}"


def test_the_compiled_catalogue_is_the_current_one(catalogue):
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    have = {(e.msgctxt, e.msgid): translation_of(e) for e in compiled}
    stale = [
        e.msgid
        for e in catalogue
        if translation_of(e) and have.get((e.msgctxt, e.msgid)) != translation_of(e)
    ]
    assert not stale, f"{len(stale)} entries not compiled (make messages): {stale[:10]}"


def test_the_glossary_terms_are_used_one_term_per_concept(catalogue):
    """A recordal is always 备案 (never 登记 or 注册 for it); a detention 扣留 (GLOSSARY.md)."""
    for entry in catalogue:
        english, chinese = entry.msgid.lower(), translation_of(entry)
        if "recordal" in english:
            assert "备案" in chinese, (entry.msgid, chinese)
        if re.search(r"\bdetention\b|\bdetain", english):
            assert "扣留" in chinese, (entry.msgid, chinese)
        if "general bond" in english:
            assert "总担保" in chinese, (entry.msgid, chinese)
        if "rights holder" in english:
            assert "权利人" in chinese, (entry.msgid, chinese)
