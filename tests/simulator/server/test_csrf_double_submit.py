"""The signed double-submit cookie check: header equals cookie, signed for the user."""

from __future__ import annotations

from authflow.simulator.server import csrf_double_submit as ds
from authflow.simulator.web.http import Request

SECRET = "k" * 32


def _request(cookie: str | None, header: str | None) -> Request:
    headers = []
    if cookie is not None:
        headers.append(("Cookie", f"sid=x; csrf={cookie}"))
    if header is not None:
        headers.append(("X-CSRF-Token", header))
    return Request("POST", "https://app.example/api/transfer", tuple(headers), None)


def _value(user: str, secret: str = SECRET) -> str:
    line = ds.cookie_line(secret, user, "n0nce")
    assert line.endswith("; Path=/; Secure; SameSite=Strict")
    assert "HttpOnly" not in line  # the page's script must read it
    return line.split(";")[0].split("=", 1)[1]


def test_the_echoed_cookie_signed_for_the_user_passes() -> None:
    alice = _value("alice")
    assert ds.check(_request(alice, alice), "alice", SECRET)[0]


def test_each_fault_is_refused_with_its_reason() -> None:
    alice, bob = _value("alice"), _value("bob")
    cases = {
        "no X-CSRF-Token header": _request(alice, None),
        "no csrf cookie": _request(None, alice),
        "does not equal the csrf cookie": _request(alice, alice + "x"),
        "signed for bob, not for alice": _request(bob, bob),  # the attacker's own, tossed
        "signature is invalid": _request(
            _value("alice", "other" * 8), _value("alice", "other" * 8)
        ),
    }
    for needle, request in cases.items():
        ok, why = ds.check(request, "alice", SECRET)
        assert not ok, needle
        assert needle in why
