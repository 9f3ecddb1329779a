"""simulator/web/referrer.py: the Referer each Referrer-Policy lets a request carry."""

from __future__ import annotations

import pytest

from authflow.simulator.web.referrer import DEFAULT_POLICY, effective_policy, referrer_for

PAGE = "https://app.example/dash?access_token=abc#top"
FULL = "https://app.example/dash?access_token=abc"
ORIGIN = "https://app.example/"
THIRD = "https://evil.example/pixel.gif"
SAME = "https://app.example/api/profile"
PLAIN = "http://evil.example/pixel.gif"


@pytest.mark.parametrize(
    ("policy", "third", "same", "downgrade"),
    [
        ("no-referrer", None, None, None),
        ("no-referrer-when-downgrade", FULL, FULL, None),
        ("origin", ORIGIN, ORIGIN, ORIGIN),
        ("origin-when-cross-origin", ORIGIN, FULL, ORIGIN),
        ("same-origin", None, FULL, None),
        ("strict-origin", ORIGIN, ORIGIN, None),
        ("strict-origin-when-cross-origin", ORIGIN, FULL, None),
        ("unsafe-url", FULL, FULL, FULL),
    ],
)
def test_each_policy(
    policy: str, third: str | None, same: str | None, downgrade: str | None
) -> None:
    assert referrer_for(PAGE, THIRD, policy) == third
    assert referrer_for(PAGE, SAME, policy) == same
    assert referrer_for(PAGE, PLAIN, policy) == downgrade


def test_user_info_and_fragment_never_leave() -> None:
    assert referrer_for("https://u:p@app.example/x?q=1#f", THIRD, "unsafe-url") == (
        "https://app.example/x?q=1"
    )


def test_the_header_sets_the_policy_and_unknown_values_fall_back() -> None:
    assert effective_policy(None) == DEFAULT_POLICY == "strict-origin-when-cross-origin"
    assert effective_policy("unsafe-url") == "unsafe-url"
    assert effective_policy("no-referrer, bogus") == "no-referrer"
    assert effective_policy("bogus") == DEFAULT_POLICY
    assert effective_policy("origin, Strict-Origin") == "strict-origin"
