"""The workflow engine (STYLE.md, convention 2): a legal flow is one table of steps, and
one executor performs any step of any table.

A `Step` is the whole of one step: the states it may start from and the state it leads
to, who may take it, the rule it cites, its input (one serializer the API, the admin and
the portal all render and validate), its guard (refuses it now, 409) and its effect (the
rule's changes, returning what the event records), the document it serves or receives,
and its deadline effects: the periods it opens, the deadlines it closes (met), cancels
(no longer applicable), suspends or resumes.

`Workflow.perform(subject, step, actor, data)` is the one executor: lock the row, check
the actor may act on it (accounts.scoping.may_act), check role and state, validate the
input, run the guard and the effect, write the event, apply the deadline effects, and
tell the other side. What differs between subjects (which row, which event table, whom
to tell) is the workflow's `Binding`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.scoping import acting_role, may_act
from core.api.fields import TEXT_MAX_LENGTH
from core.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from core.timezone import local_today
from deadlines import services as deadlines
from deadlines.models import Deadline, Escalation


def on_the_day(subject, on: dt.date) -> dt.date:
    return on


@dataclass(frozen=True)
class Period:
    """A period a step opens: `days` working days counted from the day after `start`, or
    a fixed last day `until` (None: the period does not apply, e.g. a window already
    open)."""

    kind: str
    days: int | Callable | None = None  # an int, or subject -> int
    start: Callable = on_the_day  # (subject, on) -> the trigger date
    until: Callable | None = None  # (subject, on) -> the last day, or None

    def open(self, subject, on: dt.date) -> Deadline | None:
        trigger = self.start(subject, on)
        if self.until is not None:
            last = self.until(subject, on)
            if last is None:
                return None
            return deadlines.deadline_open(
                subject=subject,
                kind=self.kind,
                trigger_date=trigger,
                unit=Deadline.Unit.DATE,
                due_date=last,
            )
        count = self.days(subject) if callable(self.days) else self.days
        return deadlines.deadline_open(
            subject=subject, kind=self.kind, trigger_date=trigger, count=count
        )


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str = ""
    rule: str = ""  # the rules it encodes, e.g. "R12, R13"
    input: type | None = None  # a DRF serializer class: the step's one input schema
    guard: Callable | None = None  # (subject, on): raises to refuse the step now (409)
    effect: Callable | None = None  # (subject, actor, on, reason, data) -> event data
    needs_reason: bool = False
    document: str = ""  # the kind of document served or received with the step
    opens: tuple[Period, ...] = ()
    closes: tuple[str, ...] = ()  # obligations met by this step
    cancels: tuple[str, ...] = ()  # deadlines that no longer apply after it
    suspends: tuple[str, ...] = ()
    resumes: tuple[str, ...] = ()
    # States the step leads to instead when its rule says so, decided by its effect from
    # the facts (`{"to_status": ...}`; e.g. a renewal refused after the term lapses, R7).
    otherwise: tuple[str, ...] = ()
    notice: str = ""  # what the other side is told, formatted with the opened deadlines
    announce: Callable | None = None  # (subject): tells the apps above (a hook), once done

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.otherwise)

    @property
    def url_name(self) -> str:
        return self.name.replace("_", "-")


class Binding:
    """How one kind of subject is locked, recorded and announced. Subclasses name the
    model and write the event; the rest has sensible defaults."""

    model = None
    event_model = None  # its timeline: action, from_status, to_status, actor, reason
    related: tuple[str, ...] = ()

    def lock(self, subject):
        return (
            self.model.objects.select_for_update(of=("self",))
            .select_related(*self.related)
            .get(pk=subject.pk)
        )

    def check_date(self, subject, on: dt.date) -> None:
        """Refuse a step dated before the subject's last one (steps keep their order)."""

    def record(self, subject, step: Step, *, actor, on, before, reason, data, document):
        """Save the subject and write the step's event (`event_model`, with its `data` and
        legal date `on` where the event table keeps them); returns the event."""
        subject.save()
        fields = {f.name for f in self.event_model._meta.get_fields()}
        extra = {k: v for k, v in (("data", data), ("on", on)) if k in fields}
        return self.event_model.objects.create(
            **{self.model._meta.model_name: subject},
            action=step.name,
            from_status=before,
            to_status=subject.status,
            actor=actor,
            reason=reason,
            **extra,
        )

    def after(self, subject, step: Step, *, actor, role, on, reason, opened) -> None:
        """Tell whoever must be told; runs inside the step's transaction."""


@dataclass
class Workflow:
    name: str
    states: tuple[str, ...]
    steps: tuple[Step, ...]
    binding: Binding | None = None
    outcomes: dict = field(default_factory=dict)  # state -> the outcome it records
    label: str = ""  # what a person calls the subject ("recordal"); `name` when empty
    _by_name: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {}
        for step in self.steps:
            if step.name in self._by_name:
                raise ValueError(f"duplicate step {step.name!r} in {self.name}")
            unknown = {*step.sources, *step.targets} - set(self.states)
            if unknown:
                raise ValueError(f"{step.name}: unknown states {sorted(unknown)}")
            self._by_name[step.name] = step

    # --- reading the table ----------------------------------------------------------------

    def __getitem__(self, name: str) -> Step:
        return self._by_name[name]

    def __getattr__(self, name: str) -> Step:
        """`WORKFLOW.detain` is the step object: code names steps, never strings."""
        steps = self.__dict__.get("_by_name") or {}
        if name in steps:
            return steps[name]
        raise AttributeError(name)

    def __contains__(self, step) -> bool:
        return getattr(step, "name", step) in self._by_name

    def step_names(self) -> list[str]:
        return list(self._by_name)

    def allowed(self, state: str, role: str | None) -> list[Step]:
        return [s for s in self.steps if state in s.sources and role in s.roles]

    def allowed_names(self, state: str, role: str | None) -> list[str]:
        return [s.name for s in self.allowed(state, role)]

    def states_after(self, *steps: Step) -> tuple[str, ...]:
        """The states reachable from `steps`' targets (those included), in table order."""
        reached, frontier = set(), {t for s in steps for t in s.targets}
        while frontier:
            reached |= frontier
            frontier = {
                t for s in self.steps if set(s.sources) & frontier for t in s.targets
            } - reached
        return tuple(s for s in self.states if s in reached)

    def check(self, step: Step | str, state: str, role: str | None) -> Step:
        """The step from `state` by `role`, or the error to answer (403, 409)."""
        name = getattr(step, "name", step)
        found = self._by_name.get(name)
        if found is None:
            raise TransitionNotAllowed(
                action=name,
                state=state,
                message=gettext("Unknown action '%(action)s'.") % {"action": name},
            )
        if role not in found.roles:
            raise NotPermitted(self._role_may_not(name))
        if state not in found.sources:
            raise TransitionNotAllowed(
                action=name,
                state=state,
                allowed=self.allowed_names(state, role),
                message=gettext("'%(step)s' is not possible while the status is '%(status)s'.")
                % {"step": found.label, "status": self.state_label(state)},
            )
        return found

    def state_label(self, state: str) -> str:
        """A state as its reader names it: the status field's label (e.g. 已核准)."""
        model = getattr(self.binding, "model", None)
        if model is not None:
            choices = dict(model._meta.get_field("status").flatchoices)
            if state in choices:
                return str(choices[state])
        return state

    def check_role(self, step: Step | str, role: str | None) -> None:
        """Refuse a role the table never allows for the step (403) before reading input;
        a step outside the table, or from the wrong state, is left to `check` (409)."""
        found = self._by_name.get(getattr(step, "name", step))
        if found is not None and role not in found.roles:
            raise NotPermitted(self._role_may_not(found.name))

    def _role_may_not(self, action: str) -> str:
        return gettext("Your role may not '%(action)s' a %(subject)s.") % {
            "action": action,
            "subject": self.label or self.name,
        }

    # --- performing a step ----------------------------------------------------------------

    @transaction.atomic
    def perform(self, subject, step: Step | str, actor, data=None, *, reason="", on=None,
                document=None):  # fmt: skip
        """Perform `step` on `subject`: lock, may act, role and state, reasons, the
        step's order, guard (409 before any input is read), input, effect, event,
        deadlines, notices; all or nothing."""
        today = on or local_today()
        if today > local_today():
            raise InvalidInput({"on": gettext("A step cannot be dated in the future.")})
        subject = self.binding.lock(subject)
        role = acting_role(actor) if actor is not None else SYSTEM
        if actor is not None:
            may_act(actor, subject)
        step = self.check(step, subject.status, role)
        reason = (reason or "").strip()
        if len(reason) > TEXT_MAX_LENGTH:  # taken beside the step's input, bounded alike
            raise InvalidInput(
                {
                    "reason": gettext("Keep it to at most %(limit)s characters.")
                    % {"limit": TEXT_MAX_LENGTH}
                }
            )
        if step.needs_reason and not reason:
            raise InvalidInput(
                {
                    "reason": gettext("Give the reasons to %(step)s (%(rule)s).")
                    % {"step": str(step.label).lower(), "rule": step.rule}
                }
            )
        self.binding.check_date(subject, today)
        if step.guard is not None:
            step.guard(subject, today)
        values = validate_input(step, data)
        before = subject.status
        details = (
            step.effect(subject, actor, today, reason, values) if step.effect else None
        ) or {}
        target = details.pop("to_status", step.target)
        if target not in step.targets:
            raise ValueError(f"{step.name} may not lead to {target}")
        subject.status = target
        if target in self.outcomes:
            subject.outcome = self.outcomes[target]
        self.binding.record(
            subject, step, actor=actor, on=today, before=before, reason=reason,
            data=details, document=document,
        )  # fmt: skip
        for kind in step.closes:
            deadlines.deadline_close(subject=subject, kind=kind, reason=step.name)
        for kind in step.cancels:
            deadlines.deadline_cancel(subject=subject, kind=kind, reason=step.name)
        for kind in step.suspends:
            deadlines.deadline_suspend(subject=subject, kind=kind, on=today, reason=step.name)
        for kind in step.resumes:
            deadlines.deadline_resume(subject=subject, kind=kind, on=today, reason=step.name)
        opened = [d for d in (period.open(subject, today) for period in step.opens) if d]
        _resolve_escalations(subject, (*step.closes, *step.cancels), actor)
        self.binding.after(
            subject, step, actor=actor, role=role, on=today, reason=reason, opened=opened
        )
        if step.announce is not None:
            step.announce(subject)
        return subject

    @transaction.atomic
    def start(self, subject, step: Step | str, actor, *, on: dt.date, data=None, document=None):
        """An opening step (no source state): the subject its service has built and
        checked enters the table; the event is written and the step's periods open."""
        step = self._by_name[getattr(step, "name", step)]
        if step.sources:
            raise ValueError(f"{step.name} is not an opening step of {self.name}")
        if acting_role(actor) not in step.roles:
            raise NotPermitted(self._role_may_not(step.name))
        subject.status = step.target
        self.binding.record(
            subject, step, actor=actor, on=on, before="", reason="", data=dict(data or {}),
            document=document,
        )  # fmt: skip
        for period in step.opens:
            period.open(subject, on)
        return subject

    def opening_steps(self) -> list[Step]:
        return [s for s in self.steps if not s.sources]

    def later_steps(self) -> list[Step]:
        """The steps taken on an existing subject (each has an endpoint and a button)."""
        return [s for s in self.steps if s.sources]

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2"]
        for s in self.steps:
            roles = ", ".join(s.roles)
            if not s.sources:
                lines.append(f"    [*] --> {s.target}: {s.name} ({roles})")
            for source in s.sources:
                for target in s.targets:
                    lines.append(f"    {source} --> {target}: {s.name} ({roles})")
        return "\n".join(lines)


SYSTEM = "system"  # the role of scheduled tasks (e.g. the daily expiry run)


def validate_input(step: Step, data) -> dict:
    """The step's input, validated by its one schema (400 naming each field); values not
    given are left out. A step without a schema takes no input."""
    data = dict(data or {})
    data.pop("reason", None)
    data.pop("document", None)
    if step.input is None:
        return {}
    serializer = step.input(data=data)
    if not serializer.is_valid():
        raise InvalidInput(
            {name: " ".join(str(m) for m in _messages(errors))
             for name, errors in serializer.errors.items()}
        )  # fmt: skip
    values = dict(serializer.validated_data)
    values.pop("reason", None)
    values.pop("document", None)
    return {k: v for k, v in values.items() if v is not None}


def _messages(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _messages(value)
    elif isinstance(errors, list | tuple):
        for value in errors:
            yield from _messages(value)
    else:
        yield errors


def _resolve_escalations(subject, kinds, actor) -> None:
    """A missed deadline's escalation is dealt with once the step due is taken."""
    if not kinds:
        return
    Escalation.objects.filter(
        deadline__subject_type__model=subject._meta.model_name,
        deadline__subject_id=subject.pk,
        deadline__kind__in=kinds,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now(), resolved_by=actor)
