"""The Referer a browser sends, by the document's Referrer-Policy (W3C Referrer Policy,
"determine request's referrer"), as Chromium applies it.

A page's URL travels in the Referer header of the requests the page makes: a credential
in its query goes with it, to every third party the page loads something from, unless
the policy trims it to the origin or drops it.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from authflow.simulator.config.settings import REFERRER_POLICIES as POLICIES
from authflow.simulator.web.sites import is_secure_url, origin_of

DEFAULT_POLICY = "strict-origin-when-cross-origin"
"""A document with no (or no valid) Referrer-Policy gets this one: Chromium's default
since version 85, Firefox's and Safari's too."""


def effective_policy(header: str | None) -> str:
    """The policy a Referrer-Policy header sets: its last value the browser knows (the
    spec lets a header list fallbacks), else the default."""
    known = [t.strip().lower() for t in (header or "").split(",") if t.strip().lower() in POLICIES]
    return known[-1] if known else DEFAULT_POLICY


def referrer_for(document_url: str, target_url: str, policy: str) -> str | None:
    """The Referer header a request from a document at `document_url` to `target_url`
    carries under `policy`; None when none is sent."""
    parts = urlsplit(document_url)
    # The referrer never carries a fragment or user info (spec: "strip url for use
    # as a referrer"); the query stays, which is the whole problem.
    host = parts.netloc.rpartition("@")[2]
    full = urlunsplit((parts.scheme, host, parts.path or "/", parts.query, ""))
    only_origin = origin_of(document_url) + "/"
    same_origin = origin_of(document_url) == origin_of(target_url)
    downgrade = is_secure_url(document_url) and not is_secure_url(target_url)
    if policy == "no-referrer":
        return None
    if policy == "no-referrer-when-downgrade":
        return None if downgrade else full
    if policy == "same-origin":
        return full if same_origin else None
    if policy == "origin":
        return only_origin
    if policy == "strict-origin":
        return None if downgrade else only_origin
    if policy == "origin-when-cross-origin":
        return full if same_origin else only_origin
    if policy == "unsafe-url":
        return full
    # strict-origin-when-cross-origin
    if same_origin:
        return full
    return None if downgrade else only_origin
