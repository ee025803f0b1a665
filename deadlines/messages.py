"""What a reminder says. Plain text; the recipient's language where we know it."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from deadlines.policies import MISSED_STEP, MOVED_STEP_PREFIX, POLICIES


def compose(deadline, step: str, language: str = "en") -> tuple[str, str]:
    with translation.override(language or "en"):
        kind = deadline.get_kind_display()
        due_text = f"{deadline.due_date:%Y-%m-%d} 24:00 (Asia/Shanghai)"
        if step == MISSED_STEP:
            subject = _("Missed: %(kind)s — %(label)s") % {
                "kind": kind,
                "label": deadline.subject_label,
            }
            action = POLICIES[deadline.kind].escalation
            lines = [
                _("The deadline passed at %(due)s without being met.") % {"due": due_text},
                action,
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
            lines = [
                _("The due date moved from %(old)s to %(new)s.") % {"old": old, "new": new},
                reasons[-1] if reasons else "",
            ]
        else:
            subject = _("%(kind)s due %(due)s — %(label)s") % {
                "kind": kind,
                "due": f"{deadline.due_date:%Y-%m-%d}",
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
        return subject, "\n".join(line for line in lines if line)
