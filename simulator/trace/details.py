"""What an event's detail holds, one typed record per kind of event.

The trace format is a JSON object per event whose `detail` is documented in the README;
these records name and type its fields, `to_json` writes exactly the documented object,
and `of` reads one back (tolerating missing keys, as hand-made events in tests and
older traces have them). Read a detail through the accessors at the bottom
(`as_request(event)` ...) rather than by string key.

The engine stores each detail as a `DetailView`: the record (built on first read from
values that never change, for the many events nobody opens), read as the documented
mapping by whoever asks for one. Records and views are shared between events and
never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(p[0]), str(p[1])) for p in value or () if len(p) == 2)


def _rows(value: Any) -> Sequence[Mapping[str, Any]]:
    return [row for row in value or () if isinstance(row, Mapping)]


class RequestContext(NamedTuple):
    """Who made a request and how: what SameSite and CORS judge it by."""

    initiator: str | None
    """The origin of the page that made it; None for a navigation the user typed."""
    kind: str
    """"fetch", "navigate", "form" or "subresource"."""
    cross_site: bool

    @classmethod
    def of(cls, data: Any) -> RequestContext:
        d = data if isinstance(data, Mapping) else _EMPTY
        return cls(d.get("initiator"), str(d.get("kind") or "fetch"), bool(d.get("cross_site")))


class Carry(NamedTuple):
    """A credential a request carries, or a Set-Cookie line of a response and what the
    browser's jar makes of it. The value is in the headers, not repeated here."""

    header: str
    """"Cookie", "Authorization", "X-CSRF-Token" or "Set-Cookie"."""
    name: str
    role: str
    """"session", "access", "refresh", "csrf" or "other"."""
    rejected: bool = False
    """Set-Cookie: the browser refused to store it."""
    reason: str = ""
    """Set-Cookie: why it was refused."""
    deletes: bool = False
    """Set-Cookie: Max-Age=0, the line deletes the cookie."""

    def request_json(self) -> dict[str, Any]:
        return {"header": self.header, "name": self.name, "role": self.role}

    @classmethod
    def of(cls, d: Mapping[str, Any], header: str = "") -> Carry:
        return cls(
            str(d.get("header") or header),
            str(d.get("name") or ""),
            str(d.get("role") or ("other" if header else "")),
            bool(d.get("rejected")),
            str(d.get("reason") or ""),
            bool(d.get("deletes")),
        )


class LeftOutRef(NamedTuple):
    """A cookie of the jar that did not ride along, and why."""

    name: str
    reason: str


class RequestDetail(NamedTuple):
    method: str
    url: str
    path: str
    headers: tuple[tuple[str, str], ...]
    """As sent: Host first, Content-Length when there is a body."""
    body: Any
    request_id: int | None
    """Shared by the hops of one request (browser → lb → server) and their answers."""
    origin_actor: str
    """Who sent it: "browser" or "attacker"."""
    context: RequestContext
    carries: tuple[Carry, ...]
    left_out: tuple[LeftOutRef, ...]
    blocked: bool = False
    """The browser never sent it (a refused CORS preflight); drawn stopped at the browser."""
    block_reason: str | None = None
    forwarded_to: str | None = None
    """On the balancer's hop: the server it forwards the request to."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "headers": [list(h) for h in self.headers],
            "body": self.body,
            "request_id": self.request_id,
            "origin_actor": self.origin_actor,
            "context": self.context._asdict(),
            "carries": [c.request_json() for c in self.carries],
            "left_out": [lo._asdict() for lo in self.left_out],
            "blocked": self.blocked,
        }
        if self.block_reason is not None:
            out["block_reason"] = self.block_reason
        if self.forwarded_to is not None:
            out["forwarded"] = True
            out["server"] = self.forwarded_to
        return out

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> RequestDetail:
        url = str(d.get("url") or "")
        return cls(
            str(d.get("method") or ""),
            url,
            str(d.get("path") or ""),
            _pairs(d.get("headers")),
            d.get("body"),
            d.get("request_id"),
            str(d.get("origin_actor") or "browser"),
            RequestContext.of(d.get("context")),
            tuple(Carry.of(c) for c in _rows(d.get("carries"))),
            tuple(
                LeftOutRef(str(lo.get("name", "")), str(lo.get("reason", "")))
                for lo in _rows(d.get("left_out"))
            ),
            bool(d.get("blocked")),
            None if d.get("block_reason") is None else str(d["block_reason"]),
            str(d["server"]) if d.get("forwarded") and d.get("server") else None,
        )


class ResponseDetail(NamedTuple):
    status: int
    reason: str
    """The status's reason phrase ("OK", "Unauthorized")."""
    headers: tuple[tuple[str, str], ...]
    body: Any
    request_id: int | None
    carries: tuple[Carry, ...]
    """The Set-Cookie lines."""
    server: str | None = None
    """On the server's answer to the balancer: which server answered."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "reason": self.reason,
            "headers": [list(h) for h in self.headers],
            "body": self.body,
            "request_id": self.request_id,
            "carries": [c._asdict() for c in self.carries],
        }
        if self.server is not None:
            out["server"] = self.server
        return out

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> ResponseDetail:
        try:
            status = int(d.get("status") or 0)
        except (TypeError, ValueError):
            status = 0
        return cls(
            status,
            str(d.get("reason") or ""),
            _pairs(d.get("headers")),
            d.get("body"),
            d.get("request_id"),
            tuple(Carry.of(c, "Set-Cookie") for c in _rows(d.get("carries"))),
            None if d.get("server") is None else str(d["server"]),
        )


class StoreDetail(NamedTuple):
    command: str
    """"GET", "SET", "DEL", "EXPIRE" or "SCAN"."""
    key: str
    value: str | None
    hit: bool | None
    """GET, DEL, EXPIRE: whether the key was there; None for SET."""
    ttl: float | None

    def to_json(self) -> dict[str, Any]:
        return self._asdict()

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> StoreDetail:
        return cls(
            str(d.get("command") or ""),
            str(d.get("key") or ""),
            d.get("value"),
            d.get("hit"),
            d.get("ttl"),
        )


class VerdictDetail(NamedTuple):
    ok: bool
    check: str
    """"password", "session", "jwt", "refresh", "csrf" or "cors"."""
    reason: str
    user: str | None
    blocked_request: Mapping[str, Any] | None = None
    """A refused CORS preflight: the request the browser then did not send."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": self.ok,
            "check": self.check,
            "reason": self.reason,
            "user": self.user,
        }
        if self.blocked_request is not None:
            out["blocked_request"] = self.blocked_request
        return out

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> VerdictDetail:
        return cls(
            bool(d.get("ok")),
            str(d.get("check") or ""),
            str(d.get("reason") or ""),
            d.get("user"),
            d.get("blocked_request"),
        )


class CookieDetail(NamedTuple):
    action: str
    """"stored", "deleted", "rejected", "expired" or "cleared"."""
    name: str
    reason: str
    role: str | None = None
    """Set for a Set-Cookie the browser handled ("session", "access", "refresh", "other")."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "name": self.name, "reason": self.reason}
        if self.role is not None:
            out["role"] = self.role
        return out

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> CookieDetail:
        role = d.get("role")
        return cls(
            str(d.get("action") or ""),
            str(d.get("name") or ""),
            str(d.get("reason") or ""),
            None if role is None else str(role),
        )


class StorageDetail(NamedTuple):
    area: str
    """"localStorage" or "memory" (the page's JavaScript variables)."""
    action: str
    """"set", "remove" or "clear"."""
    key: str | None
    value: str | None

    def to_json(self) -> dict[str, Any]:
        return self._asdict()

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> StorageDetail:
        return cls(
            str(d.get("area") or "storage"),
            str(d.get("action") or "set"),
            d.get("key"),
            d.get("value"),
        )


class AttackDetail(NamedTuple):
    attack: str
    attempted: str
    """What the attacker tried, in words."""
    stolen: Mapping[str, str]
    """credential name -> value, what this attack obtained."""
    success: bool
    extra: Mapping[str, Any] = _EMPTY
    """What this kind of attack adds (status, reasons, what it forged ...), in order."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "attack": self.attack,
            "attempted": self.attempted,
            "stolen": dict(self.stolen),
            "success": self.success,
        }
        out.update(self.extra)
        return out

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> AttackDetail:
        known = ("attack", "attempted", "stolen", "success")
        stolen = d.get("stolen")
        return cls(
            str(d.get("attack") or ""),
            str(d.get("attempted") or ""),
            MappingProxyType(dict(stolen)) if isinstance(stolen, Mapping) else _EMPTY,
            bool(d.get("success")),
            MappingProxyType({k: v for k, v in d.items() if k not in known}),
        )


class NoteDetail(NamedTuple):
    text: str
    action: str | None = None
    """On the note that opens a lesson step: the step's action, its arguments, and the
    lesson's narration for it."""
    args: Mapping[str, Any] | None = None
    narration: str | None = None
    extra: Mapping[str, Any] = _EMPTY
    """What other notes add ("clock" after a wait, "lost" keys at a restart ...)."""
    narration_source: str | None = None
    """On a step's opening note, where `narration` (the text the app shows) came from:
    "written" (the lesson's or the action's own text, true for this run), "rules" (no
    written variant holds: an explanation built from the step's events) or "label"
    (nothing written: the action's label)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.action is not None:
            out["action"] = self.action
            out["args"] = self.args
            out["narration"] = self.narration
            out["narration_source"] = self.narration_source
        out.update(self.extra)
        return out

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> NoteDetail:
        known = ("text", "action", "args", "narration", "narration_source")
        action = d.get("action")
        source = d.get("narration_source")
        return cls(
            str(d.get("text") or ""),
            None if action is None else str(action),
            d.get("args"),
            d.get("narration"),
            MappingProxyType({k: v for k, v in d.items() if k not in known}),
            None if source is None else str(source),
        )


Detail = (
    RequestDetail
    | ResponseDetail
    | StoreDetail
    | VerdictDetail
    | CookieDetail
    | StorageDetail
    | AttackDetail
    | NoteDetail
)


def _given(record: Detail) -> Detail:
    return record


class DetailView(Mapping[str, Any]):
    """An event's detail as stored in the trace: a typed record, also readable as the
    README's JSON mapping (which is built the first time someone reads it so).

    `DetailView(build, *args)` builds the record from `args` when first asked for;
    `DetailView.of(record)` holds one already made. Either way nothing changes after.
    """

    __slots__ = ("_args", "_build", "_data", "_record")

    def __init__(self, build: Callable[..., Detail], *args: Any) -> None:
        self._build: Callable[..., Detail] | None = build
        self._args = args
        self._record: Detail | None = None
        self._data: dict[str, Any] | None = None

    @classmethod
    def of(cls, record: Detail) -> DetailView:
        return cls(_given, record)

    def record(self) -> Detail:
        record = self._record
        if record is None:
            assert self._build is not None
            record = self._record = self._build(*self._args)
            self._build, self._args = None, ()
        return record

    def _materialize(self) -> dict[str, Any]:
        data = self._data
        if data is None:
            data = self._data = self.record().to_json()
        return data

    def __getitem__(self, key: str) -> Any:
        return self._materialize()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._materialize())

    def __len__(self) -> int:
        return len(self._materialize())

    def __contains__(self, key: object) -> bool:
        return key in self._materialize()

    def get(self, key: str, default: Any = None) -> Any:
        return self._materialize().get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._materialize() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a mapping, like dict

    def __repr__(self) -> str:
        return repr(MappingProxyType(self._materialize()))


# -- accessors: the typed detail of an event -------------------------------------------
_R = TypeVar("_R", bound=Detail)


def _read(event: Event, record_type: type[_R], of: Callable[[Mapping[str, Any]], _R]) -> _R:
    # The engine's events hold their record; hand-made ones (tests, older traces) are
    # read from their mapping.
    d = event.detail
    if type(d) is DetailView:
        record = d.record()
        if type(record) is record_type:
            return cast("_R", record)
    return of(d)


def as_request(event: Event) -> RequestDetail:
    return _read(event, RequestDetail, RequestDetail.of)


def as_response(event: Event) -> ResponseDetail:
    return _read(event, ResponseDetail, ResponseDetail.of)


def carries(event: Event) -> tuple[Carry, ...]:
    """What a request or response carries: credentials, or Set-Cookie lines."""
    if event.kind == "request":
        return as_request(event).carries
    if event.kind == "response":
        return as_response(event).carries
    return ()


def as_store(event: Event) -> StoreDetail:
    return _read(event, StoreDetail, StoreDetail.of)


def as_verdict(event: Event) -> VerdictDetail:
    return _read(event, VerdictDetail, VerdictDetail.of)


def as_cookie(event: Event) -> CookieDetail:
    return _read(event, CookieDetail, CookieDetail.of)


def as_storage(event: Event) -> StorageDetail:
    return _read(event, StorageDetail, StorageDetail.of)


def as_attack(event: Event) -> AttackDetail:
    return _read(event, AttackDetail, AttackDetail.of)


def as_note(event: Event) -> NoteDetail:
    return _read(event, NoteDetail, NoteDetail.of)
