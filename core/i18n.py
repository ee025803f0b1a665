"""The reader's language. Data that has two names (offices, ports, organisations,
campaigns, regions) is shown in the reader's; the other when the reader's is missing."""

from django.utils.translation import get_language


def reads_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def in_reader_language(name_en: str, name_zh: str) -> str:
    """name_zh for a Chinese reader, name_en for the others; whichever exists otherwise."""
    first, second = (name_zh, name_en) if reads_chinese() else (name_en, name_zh)
    return first or second or ""
