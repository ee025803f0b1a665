"""A minimal RFC 5545 writer for deadline feeds: CRLF line ends, TEXT escaping, and lines
folded at 75 octets without splitting a UTF-8 character."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.timezone import day_end_text

PRODID = "-//Customs IPR protection//Deadlines//EN"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuation lines start
    with one space (RFC 5545 section 3.1)."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def calendar(deadlines, *, name: str, now: dt.datetime | None = None) -> str:
    """The feed, its texts in the active language (the subscriber's, deadlines/api.py)."""
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for deadline in deadlines:
        summary = _("%(kind)s: %(label)s") % {
            "kind": deadline.get_kind_display(),
            "label": deadline.subject_label,
        }
        if deadline.provisional:
            summary = _("%(summary)s (provisional)") % {"summary": summary}
        description = _("Due %(due)s Asia/Shanghai. Status: %(status)s.") % {
            "due": day_end_text(deadline.due_date),
            "status": deadline.get_status_display(),
        }
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{deadline.pk}@customs-ipr",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.due_date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            "TRANSP:TRANSPARENT",
            f"STATUS:{'CANCELLED' if deadline.status == 'cancelled' else 'CONFIRMED'}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(summary)}",
            "TRIGGER:-PT15H",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
