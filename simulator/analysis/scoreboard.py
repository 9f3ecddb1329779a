"""The scoreboard: one run's costs and results as figures, and a Markdown table of runs.

Every figure is read from the trace: the counters of its last event (what the
simulator tallied), the stores in each event's state, and the `verdict` and `attack`
events. The app's table and the Markdown export both come from `table()`, so they
cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from authflow.simulator.actions.catalogue import describe
from authflow.simulator.analysis.compare import step_outcomes
from authflow.simulator.trace.details import as_request, as_verdict
from authflow.simulator.trace.trace import Counters, State, Trace

AUTH_CHECKS = ("session", "jwt", "refresh")
"""Verdicts that accept or refuse a credential (not a password, CSRF or CORS check)."""
CREDENTIAL_ROLES = ("session", "access", "refresh")
"""Roles of the credentials a request carries (see a request's `carries`)."""
USER_STORE = "users"
"""The user database: every mode keeps it, so it is not state kept for logins."""


def store_bytes(state: State) -> int:
    """Bytes of keys and values the server keeps for logins (every store but users)."""
    total = 0
    for name, entries in state.stores.items():
        if name == USER_STORE:
            continue
        for key, entry in entries.items():
            total += len(key.encode("utf-8")) + len(entry.value.encode("utf-8"))
    return total


EXPIRED = "expired "
"""How the JWT check words a refusal for a passed exp ("expired 1 min ago")."""


@dataclass(frozen=True, slots=True)
class LogoutResult:
    """When logging out actually ended the credential issued before it."""

    logout_step: int | None
    """0-based step of the first logout; None when the lesson never logs out."""
    effective_step: int | None
    """0-based step from which a presented copy of the old credential was refused;
    None when no copy was refused after the last one accepted (or none was tried)."""
    last_accepted_step: int | None
    """0-based step after the logout at which an old credential was last accepted."""
    expired_step: int | None = None
    """0-based step at which a copy was refused only because it had expired: the
    token's own exp, not the logout (never counted as the logout taking effect)."""

    def text(self) -> str:
        if self.logout_step is None:
            return "no logout"
        expired = (
            f"; refused at step {self.expired_step + 1} only because it had expired"
            if self.expired_step is not None and self.effective_step is None
            else ""
        )
        if self.last_accepted_step is not None and self.effective_step is None:
            return (
                f"not effective: a copy still worked at step {self.last_accepted_step + 1}"
                + expired
            )
        if self.effective_step is None and expired:
            return "untested: a copy" + expired.removeprefix(";")
        if self.effective_step is None:
            return f"untested: no copy presented after step {self.logout_step + 1}"
        if self.last_accepted_step is None:
            refused = self.effective_step + 1
            return f"step {self.logout_step + 1} (a copy was refused at step {refused})"
        return (
            f"step {self.effective_step + 1} (a copy still worked at step "
            f"{self.last_accepted_step + 1})"
        )


def logout_result(trace: Trace) -> LogoutResult:
    """Find the first logout, then every request that presented a credential after it
    (until someone logs in again) and the server's verdict on it: the logout is
    effective from the first refusal after the last acceptance of the user's copy."""
    logout = next((i for i, s in enumerate(trace.steps) if s.action == "logout"), None)
    if logout is None:
        return LogoutResult(None, None, None)
    user = next(
        (
            str(s.args.get("user"))
            for s in reversed(trace.steps[:logout])
            if s.action == "login" and s.args.get("user")
        ),
        None,
    )
    end = next(
        (i for i in range(logout + 1, len(trace.steps)) if trace.steps[i].action == "login"),
        len(trace.steps),
    )
    accepted: int | None = None
    expired: int | None = None
    accepted_roles: set[str] = set()
    refused: list[tuple[int, set[str]]] = []
    presented: set[str] = set()
    """Credential roles the latest request carried (its verdicts follow it)."""
    for e in trace.events:
        if not logout < e.step < end:
            continue
        if e.kind == "request":
            presented = {c.role for c in as_request(e).carries if c.role in CREDENTIAL_ROLES}
        elif e.kind == "verdict" and presented:
            v = as_verdict(e)
            if v.check not in AUTH_CHECKS:
                continue
            if v.ok and (user is None or v.user == user):
                accepted, accepted_roles = e.step, set(presented)
            elif not v.ok and v.reason.startswith(EXPIRED):
                # The token ran out by itself: that is its exp at work, not the logout.
                expired = e.step if expired is None else expired
            elif not v.ok:
                refused.append((e.step, set(presented)))
    # A refused refresh token says nothing about the access token that still worked:
    # after an acceptance, only a refusal of the same kind of credential counts.
    after = [
        step
        for step, roles in refused
        if accepted is None or (step > accepted and roles & accepted_roles)
    ]
    return LogoutResult(logout, after[0] if after else None, accepted, expired)


@dataclass(frozen=True, slots=True)
class AttackerResult:
    """What the attacker obtained over the run, and which attacks worked."""

    obtained: tuple[str, ...]
    """Credential names the attacker holds at the end."""
    attempts: tuple[tuple[int, str, bool], ...]
    """(0-based step, attack, success) for every attack, in order."""
    titles: Mapping[str, str] = field(default_factory=dict)
    """Attack -> what its step says it does, in words (the scoreboard shows this, not
    the action's name such as `xss_steal`)."""

    def text(self) -> str:
        if not self.attempts and not self.obtained:
            return "no attack"
        got = ", ".join(self.obtained) if self.obtained else "nothing"

        def named(step: int, name: str) -> str:
            return f"{self.titles.get(name, name)} (step {step + 1})"

        worked = [named(step, name) for step, name, ok in self.attempts if ok]
        failed = [named(step, name) for step, name, ok in self.attempts if not ok]
        parts = [f"obtained {got}"]
        if worked:
            parts.append("worked: " + ", ".join(worked))
        if failed:
            parts.append("failed: " + ", ".join(failed))
        return "; ".join(parts)


def attacker_result(trace: Trace) -> AttackerResult:
    obtained = tuple(trace.events[-1].state.attacker) if trace.events else ()
    attempts = tuple((o.step, a.attack, a.success) for o in step_outcomes(trace) for a in o.attacks)
    titles = {
        name: describe(trace.steps[step].action, trace.steps[step].args)
        for step, name, _ok in attempts
        if 0 <= step < len(trace.steps)
    }
    return AttackerResult(obtained, attempts, titles)


@dataclass(frozen=True, slots=True)
class Scoreboard:
    """One run's figures."""

    title: str
    counters: Counters
    """The run's totals: the last event's counters."""
    store_bytes_peak: int
    """Most bytes the login store held at once (keys and values, user records aside)."""
    store_bytes_end: int
    logout: LogoutResult
    attacker: AttackerResult


def score(trace: Trace, title: str | None = None) -> Scoreboard:
    """The scoreboard of a whole run."""
    counters = trace.events[-1].state.counters if trace.events else Counters()
    sizes = [store_bytes(e.state) for e in trace.events]
    return Scoreboard(
        title if title is not None else trace.mode,
        counters,
        max(sizes, default=0),
        sizes[-1] if sizes else 0,
        logout_result(trace),
        attacker_result(trace),
    )


def _credential(b: Scoreboard) -> str:
    c = b.counters
    return (
        f"{c.credential_bytes} B (Cookie {c.cookie_bytes} B, "
        f"Authorization {c.authorization_bytes} B)"
    )


ROWS: tuple[tuple[str, Callable[[Scoreboard], str]], ...] = (
    ("Requests", lambda b: str(b.counters.requests)),
    ("Credential bytes sent", _credential),
    ("Store reads to authenticate", lambda b: str(b.counters.store_reads)),
    ("Store writes", lambda b: str(b.counters.store_writes)),
    ("Signature checks", lambda b: str(b.counters.signature_checks)),
    ("Server state kept (peak / end)", lambda b: f"{b.store_bytes_peak} B / {b.store_bytes_end} B"),
    ("Logout effective at", lambda b: b.logout.text()),
    ("Attacker", lambda b: b.attacker.text()),
)
"""The table's rows: a label and how to read the figure from a scoreboard."""


def table(boards: Sequence[Scoreboard]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The header (first cell empty, then each run's title) and one row per figure."""
    header = ("", *(b.title for b in boards))
    rows = tuple((label, *(read(b) for b in boards)) for label, read in ROWS)
    return header, rows


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(boards: Sequence[Scoreboard]) -> str:
    """A GitHub-flavoured Markdown table of the runs, figures as rows."""
    header, rows = table(boards)
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
