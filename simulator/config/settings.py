"""Every knob a lesson can turn: its key, default, allowed values and what it changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authflow.simulator.trace.clock import CENTURY

REFERRER_POLICIES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)
"""W3C Referrer Policy's values (simulator/web/referrer.py applies them)."""


class SettingError(ValueError):
    """A setting key or value that is not allowed; the message names the valid choices."""


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: str
    choices: tuple[str, ...] | None
    """Allowed values, or None for a free value checked by `kind`."""
    kind: str
    """"choice", "bool", "int", "seconds", "seconds-or-session" or "text"."""
    group: str
    help: str
    minimum: int = 0
    maximum: int | None = None


MAX_SCRYPT_N = 16384
"""hashlib.scrypt refuses more than 32 MiB by default; at r=8 that is N = 16384."""


def _b(key: str, default: bool, group: str, help: str) -> Setting:
    return Setting(key, "true" if default else "false", ("true", "false"), "bool", group, help)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "same_site",
        "Lax",
        ("Strict", "Lax", "None", "unset"),
        "choice",
        "cookie",
        "SameSite of the credential cookie (None also needs Secure; unset sends no "
        "SameSite attribute, which Chromium treats as Lax except for a cross-site "
        "top-level POST within 2 minutes of the cookie's creation).",
    ),
    _b("http_only", True, "cookie", "HttpOnly: keep the credential cookie out of document.cookie."),
    _b("secure", True, "cookie", "Secure: send the credential cookie over https only."),
    Setting(
        "max_age",
        "session",
        None,
        "seconds-or-session",
        "cookie",
        "Lifetime of the credential cookie: seconds, or 'session' (no Max-Age: meant to end "
        "with the browser session, though browsers with session restore keep it).",
        maximum=CENTURY,
    ),
    Setting("cookie_path", "/", None, "text", "cookie", "Path attribute of the credential cookie."),
    Setting(
        "token_storage",
        "localStorage",
        ("localStorage", "memory", "cookie"),
        "choice",
        "token",
        "Where the page keeps the JWT in jwt mode.",
    ),
    Setting(
        "access_ttl",
        "900",
        None,
        "seconds",
        "token",
        "Lifetime of an access JWT in seconds.",
        minimum=1,
        maximum=CENTURY,
    ),
    Setting(
        "refresh_ttl",
        "604800",
        None,
        "seconds",
        "token",
        "Lifetime of a hybrid refresh token in seconds (7 days).",
        minimum=1,
        maximum=CENTURY,
    ),
    Setting(
        "session_ttl",
        "1800",
        None,
        "seconds",
        "server",
        "Idle lifetime of a server session in seconds; each use renews it.",
        minimum=1,
        maximum=CENTURY,
    ),
    Setting(
        "algorithm",
        "HS256",
        ("HS256", "RS256", "ES256"),
        "choice",
        "token",
        "JWT signing algorithm; verification pins it.",
    ),
    Setting(
        "secret",
        "random",
        None,
        "text",
        "token",
        "HS256 and session-signing secret: 'random' (256 bits from secrets) or a string "
        "(a weak one can be guessed offline).",
    ),
    Setting(
        "revocation",
        "none",
        ("none", "denylist", "token-version"),
        "choice",
        "server",
        "How the server can revoke a JWT before exp: not at all, a jti denylist in the "
        "store, or a token version in the user record.",
    ),
    Setting(
        "store",
        "memory",
        ("memory", "shared"),
        "choice",
        "server",
        "Session/refresh store: each server's own memory (lost on restart) or one shared "
        "persistent store.",
    ),
    Setting(
        "servers",
        "1",
        None,
        "int",
        "server",
        "Number of app servers behind the load balancer.",
        minimum=1,
        maximum=8,
    ),
    _b(
        "sticky",
        False,
        "server",
        "Sticky load balancing: each client always reaches the same server.",
    ),
    Setting(
        "csrf_defence",
        "none",
        ("none", "token", "double-submit", "origin-check", "fetch-metadata"),
        "choice",
        "server",
        "How the server refuses a state-changing request that arrives with a cookie "
        "credential from another site: not at all, an X-CSRF-Token header matching the "
        "login, an Origin header equal to the app's own, or a Sec-Fetch-Site header of "
        "same-origin or none; double-submit: an X-CSRF-Token header equal to a csrf "
        "cookie the server signed for the user. origin-check and fetch-metadata also "
        "refuse a login posted by another site (login CSRF).",
    ),
    _b(
        "csrf_token",
        False,
        "server",
        "Alias kept for older lessons: csrf_token = true is csrf_defence = token "
        "(an explicit csrf_defence wins).",
    ),
    _b(
        "remember_me",
        False,
        "user",
        "Log in with 'remember me': the credential cookie gets Max-Age 30 days.",
    ),
    Setting(
        "scheme",
        "https",
        ("https", "http"),
        "choice",
        "server",
        "Scheme of the app's origin (https://app.example).",
    ),
    Setting(
        "cors",
        "none",
        ("none", "app-only", "any-with-credentials", "wildcard-with-credentials", "null-allowed"),
        "choice",
        "server",
        "Which other origins the API lets call it from script: any-with-credentials reflects "
        "every Origin with Access-Control-Allow-Credentials: true; wildcard-with-credentials "
        "answers * with it (browsers refuse that); null-allowed lets the opaque origin "
        "'null' in (sandboxed frames send it).",
    ),
    Setting(
        "third_party_cookies",
        "allowed",
        ("allowed", "blocked"),
        "choice",
        "browser",
        "Browser setting: block cookies on cross-site subresource and fetch requests.",
    ),
    Setting(
        "scrypt_n",
        "16384",
        None,
        "int",
        "server",
        "scrypt cost (N, a power of two) for password hashes.",
        minimum=2,
        maximum=MAX_SCRYPT_N,
    ),
    # -- issue 14a: session fixation, cookie prefixes, the subdomain attacker -----------
    _b(
        "rotate_session_on_login",
        True,
        "server",
        "Issue a new session id at login; false keeps the id the browser presented, so an "
        "id planted before login (session fixation) becomes the victim's session.",
    ),
    Setting(
        "cookie_prefix",
        "none",
        ("none", "__Secure-", "__Host-"),
        "choice",
        "cookie",
        "Name prefix of the credential cookie (sid, or access_token with token_storage = "
        "cookie): __Secure- needs Secure; __Host- also needs Path=/ and no Domain.",
    ),
    Setting(
        "cookie_domain",
        "host-only",
        ("host-only", "app.example"),
        "choice",
        "cookie",
        "Domain attribute of the credential cookie: none (host-only: app.example alone) or "
        "Domain=app.example (every subdomain too, evil.app.example included).",
    ),
    # -- token checks (issue 14: alg-confusion, claims-checks, key-rotation, clock-skew) --
    _b(
        "pin_algorithm",
        True,
        "token",
        "Verify JWTs only with the server's own algorithm; false: take the algorithm from "
        "the token's header (a vulnerable library: alg confusion, alg none).",
    ),
    _b(
        "check_aud",
        True,
        "token",
        "Refuse a JWT whose aud is not this API (a token minted for another service).",
    ),
    Setting(
        "leeway",
        "0",
        None,
        "seconds",
        "token",
        "Seconds of clock difference forgiven when judging a JWT's exp, nbf and iat.",
        maximum=3600,
    ),
    Setting(
        "clock_skew",
        "0",
        None,
        "seconds",
        "server",
        "Seconds every server after the first runs ahead of the first's clock (negative: "
        "behind); each server stamps and judges tokens by its own clock.",
        minimum=-3600,
        maximum=3600,
    ),
    # -- lifetimes, races and logouts (lessons refresh-race, idle-vs-absolute, ...) --
    Setting(
        "refresh_grace",
        "0",
        None,
        "seconds",
        "token",
        "Hybrid: seconds after a refresh token's use during which presenting it again "
        "gets a new access token instead of revoking the family (0: strict rotation).",
        maximum=3600,
    ),
    Setting(
        "session_max_age",
        "0",
        None,
        "seconds",
        "server",
        "Absolute lifetime of a login in seconds, however active its user (0: none): "
        "caps a session, and a hybrid refresh token family (else refresh_ttl caps it).",
        maximum=CENTURY,
    ),
    _b(
        "credential_in_url",
        False,
        "server",
        "The app puts the credential in its page links (?access_token=… as RFC 6750 "
        "section 2.3 allows, or ?sid=… as URL session rewriting did).",
    ),
    Setting(
        "referrer_policy",
        "unset",
        ("unset", *REFERRER_POLICIES),
        "choice",
        "server",
        "Referrer-Policy header on the app's pages (unset: none, so the browser's default "
        "strict-origin-when-cross-origin applies).",
    ),
    _b(
        "bff",
        False,
        "server",
        "Backend-for-frontend (jwt and hybrid modes): the server keeps the tokens in its "
        "store and gives the browser only a cookie, bff (the credential cookie settings "
        "apply); the page holds no token.",
    ),
    _b(
        "refresh_lock",
        False,
        "browser",
        "Hybrid: the page's tabs take one lock around /auth/refresh, so two tabs never "
        "send the same refresh token at once.",
    ),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def defaults() -> dict[str, str]:
    return {s.key: s.default for s in SETTINGS}


def allowed_range(setting: Setting) -> str:
    """The values a number setting takes, in words: "a whole number of seconds from 1 to
    3162240000 (100 years)"."""
    unit = " of seconds" if setting.kind != "int" else ""
    if setting.maximum is None:
        span = f"from {setting.minimum} up"
    else:
        span = f"from {setting.minimum} to {setting.maximum}"
        if setting.maximum == CENTURY:
            span += " (100 years)"
    if setting.key == "scrypt_n":
        return f"a power of two {span} (hashlib's 32 MiB memory limit at r=8)"
    text = f"a whole number{unit} {span}"
    return text + " or 'session'" if setting.kind == "seconds-or-session" else text


_ECHO_LIMIT = 40


def _echo(raw: str) -> str:
    """A refused value quoted back: 1e400 is shown, a 5,000-digit one is cut."""
    if len(raw) <= _ECHO_LIMIT:
        return repr(raw)
    return f"{raw[:_ECHO_LIMIT]!r}… ({len(raw):,} characters)"


def _whole_number(value: str) -> int | None:
    """The number `value` spells, or None. A number too long to convert (int() refuses
    over 4,300 digits) is out of every range, so it comes back as a huge stand-in."""
    digits = value.removeprefix("-").removeprefix("+").replace("_", "")
    if digits.isascii() and digits.isdigit() and len(digits) > 30:
        return -(10**30) if value.startswith("-") else 10**30
    try:
        return int(value)
    except ValueError:
        return None


def _check(setting: Setting, raw: str) -> str:
    value = raw.strip()
    if setting.kind in ("choice", "bool"):
        assert setting.choices is not None
        for c in setting.choices:
            if value.lower() == c.lower():
                return c
        raise SettingError(
            f"{setting.key}={_echo(raw)} is not allowed; choose from {'|'.join(setting.choices)}"
        )
    if setting.kind == "seconds-or-session" and value.lower() == "session":
        return "session"
    if setting.kind in ("int", "seconds", "seconds-or-session"):
        number = _whole_number(value)
        if number is None:
            raise SettingError(
                f"{setting.key}={_echo(raw)} is not allowed; use {allowed_range(setting)}"
            )
        high = setting.maximum
        if number < setting.minimum or (high is not None and number > high):
            raise SettingError(
                f"{setting.key}={_echo(raw)} is out of range; use {allowed_range(setting)}"
            )
        if setting.key == "scrypt_n" and number & (number - 1):
            raise SettingError(
                f"scrypt_n={_echo(raw)} is not allowed; use {allowed_range(setting)}"
            )
        return str(number)
    if not value:
        raise SettingError(f"{setting.key} must not be empty")
    return value


def resolve(overrides: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Defaults with `overrides` applied, every value checked and normalised."""
    out = defaults()
    for key, raw in (overrides or {}).items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise SettingError(
                f"unknown setting {_echo(str(key))}; valid settings: {', '.join(BY_KEY)}"
            )
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        out[key] = _check(setting, str(raw))
    return _csrf_alias(out, overrides or {})


def _csrf_alias(out: dict[str, str], given: Mapping[str, Any]) -> dict[str, str]:
    """csrf_token (a boolean, the older setting) and csrf_defence say one thing: an
    explicit csrf_defence wins, else csrf_token = true means the token defence. The two
    always agree afterwards, so either can be read."""
    if "csrf_defence" not in given and out["csrf_token"] == "true":
        out["csrf_defence"] = "token"
    out["csrf_token"] = "true" if out["csrf_defence"] == "token" else "false"
    return out


class Config:
    """Typed access to resolved settings, as the server and browser read them."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def text(self, key: str) -> str:
        return self.values[key]

    def flag(self, key: str) -> bool:
        return self.values[key] == "true"

    def number(self, key: str) -> int:
        return int(self.values[key])

    def max_age(self) -> int | None:
        v = self.values["max_age"]
        return None if v == "session" else int(v)
