"""What a reminder says. Plain text; the recipient's language where we know it."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from core.timezone import day_end_text, day_text
from deadlines.policies import MISSED_STEP, MOVED_STEP_PREFIX, POLICIES


def _day(iso: str) -> str:
    """A date from a step name or the trail (ISO), as the reader writes dates."""
    try:
        return day_text(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def compose(deadline, step: str, language: str = "en") -> tuple[str, str]:
    with translation.override(language or "en"):
        kind = str(deadline.get_kind_display())
        due_text = _("%(due)s (Asia/Shanghai)") % {"due": day_end_text(deadline.due_date)}
        if step == MISSED_STEP:
            subject = _("Missed: %(kind)s — %(label)s") % {
                "kind": kind,
                "label": deadline.subject_label,
            }
            action = POLICIES[deadline.kind].escalation
            lines = [
                _("The deadline passed at %(due)s without being met.") % {"due": due_text},
                str(action) if action else "",
            ]
        elif step.startswith(MOVED_STEP_PREFIX):
            # The step is named moved_<old>_<new>: the notice says what that move was.
            _prefix, old, new = step.split("_", 2)
            subject = _("Deadline moved: %(kind)s — %(label)s") % {
                "kind": kind,
                "label": deadline.subject_label,
            }
            reasons = [e.get("reason", "") for e in deadline.trail.get("history", [])
                       if e.get("event") == "moved" and e.get("new") == new]  # fmt: skip
            # Reasons are kept in English in the trail; those we wrote are in the catalogue.
            reason = _(reasons[-1]) if reasons and reasons[-1] else ""
            lines = [
                _("The due date moved from %(old)s to %(new)s.")
                % {"old": _day(old), "new": _day(new)},
                reason,
            ]
        else:
            subject = _("%(kind)s due %(due)s — %(label)s") % {
                "kind": kind,
                "due": day_text(deadline.due_date),
                "label": deadline.subject_label,
            }
            lines = [_("Due: %(due)s.") % {"due": due_text}]
        if deadline.provisional:
            lines.append(
                _(
                    "Provisional: the period crosses a year whose holiday notice is not yet "
                    "entered; the date will be recomputed when it is."
                )
            )
        lines.append(_("Subject: %(label)s") % {"label": deadline.subject_label})
        link = page_url(deadline)
        if link:
            lines.append(_("Open it: %(url)s") % {"url": link})
        return subject, "\n".join(line for line in lines if line)


def page_url(deadline) -> str:
    """The page a reminder is about: the case in the portal (an officer who follows it is
    sent on to the case in the admin), else the portal's desk; "" without a portal."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.urls import NoReverseMatch, reverse

    model = ContentType.objects.get_for_id(deadline.subject_type_id).model
    try:
        if model == "detention":
            path = reverse("portal:case", args=[deadline.subject_id])
        else:
            path = reverse("portal:desk")
    except NoReverseMatch:
        return ""
    return f"{getattr(settings, 'SITE_URL', '')}{path}"


def email_subject(subject: str, language: str = "en") -> str:
    """The subject line of a reminder email: the service's name, then the notice's."""
    with translation.override(language or "en"):
        return _("[Customs IPR] %(subject)s") % {"subject": subject}
