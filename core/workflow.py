"""Declarative workflows (STYLE.md, convention 2).

A workflow is one table of transitions: the states it may start from, the state it leads
to, the roles allowed to perform it, and the deadlines it opens, closes (met), cancels
(no longer applicable), suspends or resumes. Services consult the table
(`Workflow.check`), the admin draws its buttons from it, the API reports
`allowed_actions`, and `Workflow.mermaid()` draws the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import NotPermitted, TransitionNotAllowed

SYSTEM = "system"  # the role of scheduled tasks (e.g. the daily expiry run)


def acting_role(user) -> str | None:
    """The role a user acts in under a workflow table: platform superusers act as GACC
    officers (the admin, the API and the services all ask this one function)."""
    if user is None:
        return None
    return "gacc_officer" if user.is_superuser else user.role


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str = ""
    rule: str = ""  # the rule it encodes, e.g. "R5"
    needs_reason: bool = False
    opens: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()  # obligations met by this step
    cancels: tuple[str, ...] = ()  # deadlines that no longer apply after it
    suspends: tuple[str, ...] = ()
    resumes: tuple[str, ...] = ()
    # States the step leads to instead when its rule says so, decided by the service from
    # the facts (e.g. a renewal refused after the term ended lapses the recordal, R7).
    otherwise: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.otherwise)


@dataclass
class Workflow:
    name: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    _by_action: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_action = {}
        for transition in self.transitions:
            if transition.action in self._by_action:
                raise ValueError(f"duplicate action {transition.action!r} in {self.name}")
            unknown = {*transition.sources, *transition.targets} - set(self.states)
            if unknown:
                raise ValueError(f"{transition.action}: unknown states {sorted(unknown)}")
            self._by_action[transition.action] = transition

    def __getitem__(self, action: str) -> Transition:
        return self._by_action[action]

    def actions(self) -> list[str]:
        return list(self._by_action)

    def actions_from(self, state: str) -> list[str]:
        return [t.action for t in self.transitions if state in t.sources]

    def allowed_actions(self, state: str, role: str | None) -> list[str]:
        return [t.action for t in self.transitions if state in t.sources and role in t.roles]

    def check(self, action: str, state: str, role: str | None) -> Transition:
        """The transition for `action` from `state` by `role`, or the error to answer."""
        transition = self._by_action.get(action)
        if transition is None:
            raise TransitionNotAllowed(
                action=action, state=state, message=f"Unknown action '{action}'."
            )
        if role not in transition.roles:
            raise NotPermitted(f"Your role may not '{action}' a {self.name}.")
        if state not in transition.sources:
            raise TransitionNotAllowed(
                action=action, state=state, allowed=self.allowed_actions(state, role)
            )
        return transition

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2"]
        for t in self.transitions:
            roles = ", ".join(r for r in t.roles)
            for source in t.sources:
                for target in t.targets:
                    lines.append(f"    {source} --> {target}: {t.action} ({roles})")
        return "\n".join(lines)
