"""The signed double-submit cookie: a CSRF defence that keeps no server state.

At login the server sets a `csrf` cookie that page script can read (not HttpOnly) whose
value is signed with the server's secret and names the signed-in user. The app's own
page copies it into an X-CSRF-Token header on every state-changing request; the server
accepts the request only if the header equals the cookie and the signature binds it to
the user the credential names. A cross-site page can make the browser send the cookie
but cannot read it to write the header; a sibling subdomain that tosses a cookie of its
own cannot sign one for the victim (OWASP CSRF Prevention Cheat Sheet, "Signed
Double-Submit Cookie").
"""

from __future__ import annotations

from itsdangerous import BadSignature, Signer

from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.web.http import Request

CSRF_COOKIE = "csrf"
CSRF_SALT = "authflow.csrf"


def _signer(secret: str) -> Signer:
    return Signer(secret, salt=CSRF_SALT)


def cookie_line(secret: str, user: str, nonce: str) -> str:
    """The Set-Cookie line: readable by the page's script, sent only to this site's https."""
    value = _signer(secret).sign(f"{user}.{nonce}").decode()
    return f"{CSRF_COOKIE}={value}; Path=/; Secure; SameSite=Strict"


def check(request: Request, user: str | None, secret: str) -> tuple[bool, str]:
    """(passes, why): the header equals the cookie, and the cookie is signed for `user`."""
    sent = request.header("X-CSRF-Token")
    cookie = parse_cookie_header(request.header("Cookie")).get(CSRF_COOKIE)
    if not sent:
        return False, "no X-CSRF-Token header: a cross-site page cannot read the csrf cookie"
    if cookie is None:
        return False, "no csrf cookie to compare the X-CSRF-Token header with"
    if sent != cookie:
        return False, "X-CSRF-Token does not equal the csrf cookie"
    try:
        payload = _signer(secret).unsign(cookie).decode("utf-8", "replace")
    except BadSignature:
        return False, "the csrf cookie's signature is invalid (not made by this server)"
    owner = payload.rpartition(".")[0]
    if owner != user:
        return False, f"the csrf cookie is signed for {owner or 'nobody'}, not for {user}"
    return True, f"X-CSRF-Token equals the csrf cookie, signed for {user}"
