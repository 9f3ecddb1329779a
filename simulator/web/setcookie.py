"""Set-Cookie parsing after RFC 6265bis section 5.6, with its cookie-date algorithm.

Parsing is deliberately lenient, like every browser's: unknown attributes and bad
attribute values are ignored rather than rejecting the cookie. Only a few faults make
the whole line be ignored (control characters, an empty name and value, a name+value
over 4096 bytes); those raise `SetCookieRejected` with a short, human reason. What
the attributes then *mean* for the jar (domain, secure, SameSite rules) is decided in
`authflow.simulator.web.cookiejar`.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass

__all__ = [
    "MAX_ATTRIBUTE_VALUE_BYTES",
    "MAX_NAME_VALUE_BYTES",
    "ParsedSetCookie",
    "SetCookieRejected",
    "format_cookie_date",
    "parse_cookie_date",
    "parse_set_cookie",
]

# RFC 6265bis 5.6 step 6 and Chromium's kMaxCookieNamePlusValueSize: the name and value
# together may not exceed 4096 bytes.
MAX_NAME_VALUE_BYTES = 4096
# RFC 6265bis 5.6.1 and Chromium's kMaxCookieAttributeValueSize: an attribute whose value
# exceeds 1024 bytes is ignored (the cookie itself is kept).
MAX_ATTRIBUTE_VALUE_BYTES = 1024

# %x00-08 / %x0A-1F / %x7F: control characters except horizontal tab.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_WSP = " \t"


class SetCookieRejected(ValueError):
    """The Set-Cookie line is ignored entirely; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedSetCookie:
    """What one Set-Cookie line says, before the jar applies its storage rules."""

    name: str
    value: str
    expires: float | None = None
    """Unix time of the last valid Expires attribute, or None."""
    max_age: int | None = None
    """Seconds of the last valid Max-Age attribute (may be <= 0), or None."""
    domain: str | None = None
    """Last non-empty Domain attribute, lower-cased, leading dot removed ("" for
    "Domain=."); None when absent."""
    path: str | None = None
    """Last Path attribute if it starts with "/"; None means the default-path (absent,
    or the last Path attribute was empty or relative)."""
    has_path_attribute: bool = False
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None
    """"Strict", "Lax" or "None" from the last SameSite attribute; None when absent or
    when the last one had an unrecognised value."""
    same_site_raw: str | None = None
    """The last SameSite attribute's value as written (None when there was none)."""
    partitioned: bool = False

    @property
    def size(self) -> int:
        """Bytes of name plus value, the quantity capped at 4096."""
        return len(self.name.encode("utf-8", "surrogatepass")) + len(
            self.value.encode("utf-8", "surrogatepass")
        )


def _trim(text: str) -> str:
    return text.strip(_WSP)


def parse_set_cookie(line: str) -> ParsedSetCookie:
    """Parse one Set-Cookie header value (RFC 6265bis 5.6); raise SetCookieRejected."""
    if _CONTROL.search(line):
        raise SetCookieRejected("control character in Set-Cookie")
    pair, _, unparsed = line.partition(";")
    if "=" in pair:
        name, _, value = pair.partition("=")
    else:
        # No "=": a nameless cookie whose value is the whole pair (RFC 6265bis 5.6 step 3).
        name, value = "", pair
    name, value = _trim(name), _trim(value)
    if not name and not value:
        raise SetCookieRejected("empty name and value")
    parsed = ParsedSetCookie(name=name, value=value)
    if parsed.size > MAX_NAME_VALUE_BYTES:
        raise SetCookieRejected(
            f"name and value are {parsed.size} bytes (limit {MAX_NAME_VALUE_BYTES})"
        )

    expires: float | None = None
    max_age: int | None = None
    domain: str | None = None
    path: str | None = None
    has_path = secure = http_only = partitioned = False
    same_site: str | None = None
    same_site_raw: str | None = None
    for av in unparsed.split(";"):
        if not av.strip(_WSP):
            continue
        key, _, raw = av.partition("=")
        key, raw = _trim(key).lower(), _trim(raw)
        if len(raw.encode("utf-8", "surrogatepass")) > MAX_ATTRIBUTE_VALUE_BYTES:
            continue
        # Each recognised attribute overwrites what an earlier one of the same name
        # said, so the last one wins; an invalid Expires/Max-Age or an empty Domain is
        # ignored (RFC 6265bis 5.6.1-5.6.3), leaving an earlier valid one in force.
        if key == "expires":
            when = parse_cookie_date(raw)
            expires = expires if when is None else when
        elif key == "max-age":
            age = _parse_max_age(raw)
            max_age = max_age if age is None else age
        elif key == "domain":
            if raw:
                domain = (raw[1:] if raw.startswith(".") else raw).lower()
        elif key == "path":
            # An empty or relative Path means the default-path, and still overrides
            # an earlier Path (RFC 6265bis 5.6.4).
            has_path = True
            path = raw if raw.startswith("/") else None
        elif key == "secure":
            secure = True  # any value, even "Secure=false", sets the flag
        elif key == "httponly":
            http_only = True
        elif key == "samesite":
            # An unrecognised value counts as "no SameSite" (RFC 6265bis 5.6.7), so a
            # later bad value cancels an earlier good one.
            same_site_raw = raw
            same_site = {"strict": "Strict", "lax": "Lax", "none": "None"}.get(raw.lower())
        elif key == "partitioned":
            partitioned = True
    return ParsedSetCookie(
        name=name,
        value=value,
        expires=expires,
        max_age=max_age,
        domain=domain,
        path=path,
        has_path_attribute=has_path,
        secure=secure,
        http_only=http_only,
        same_site=same_site,
        same_site_raw=same_site_raw,
        partitioned=partitioned,
    )


def _parse_max_age(raw: str) -> int | None:
    """Max-Age per RFC 6265bis 5.6.2: optional "-" then digits; anything else ignored."""
    if not raw or raw[0] not in "-0123456789":
        return None
    digits = raw[1:] if raw[0] == "-" else raw
    if not digits or not all("0" <= c <= "9" for c in digits):
        return None
    # Python refuses to parse very long digit strings; anything past 15 digits is far
    # beyond the 400-day cap anyway, so clamp before converting.
    number = int(digits[:15]) if len(digits) <= 15 else 10**15
    return -number if raw[0] == "-" else number


# --- RFC 6265 5.1.1 cookie-date -------------------------------------------------------

# delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
_DELIMITERS = re.compile(r"[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[^0-9].*)?", re.S)
_DAY = re.compile(r"([0-9]{1,2})(?:[^0-9].*)?", re.S)
_YEAR = re.compile(r"([0-9]{2,4})(?:[^0-9].*)?", re.S)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_cookie_date(text: str) -> float | None:
    """Parse an Expires value with the RFC 6265 cookie-date algorithm; Unix time or None.

    Tolerant by design: "Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15
    07:28:00 GMT" and "Oct 21 07:28:00 2015" all parse; a missing part or an
    impossible date (31 Feb) gives None, which makes the attribute be ignored.
    """
    hour = minute = second = day = month = year = -1
    for token in _DELIMITERS.split(text):
        if not token:
            continue
        if hour < 0 and (m := _TIME.fullmatch(token)):
            hour, minute, second = (int(g) for g in m.groups())
        elif day < 0 and (m := _DAY.fullmatch(token)):
            day = int(m.group(1))
        elif month < 0 and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year < 0 and (m := _YEAR.fullmatch(token)):
            year = int(m.group(1))
    if min(hour, day, month, year) < 0:
        return None
    if 70 <= year <= 99:
        year += 1900
    elif 0 <= year <= 69:
        year += 2000
    if not (1 <= day <= 31) or year < 1601 or hour > 23 or minute > 59 or second > 59:
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)))


def format_cookie_date(unix_time: float) -> str:
    """An IMF-fixdate for an Expires attribute: "Wed, 21 Oct 2026 07:28:00 GMT"."""
    t = time.gmtime(int(unix_time))  # converts the given number; reads no clock
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (
        f"{days[t.tm_wday]}, {t.tm_mday:02d} {months[t.tm_mon - 1]} {t.tm_year:04d} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
    )
