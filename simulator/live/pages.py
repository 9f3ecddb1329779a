"""The HTML pages the live run's real browser loads: the app's page with its script,
and evil.example's own page. The app page's script is page.js beside this file."""

from __future__ import annotations

import functools
import json
from html import escape
from importlib import resources
from typing import Any


@functools.cache
def page_script() -> str:
    return (
        resources.files("authflow.simulator.live").joinpath("page.js").read_text(encoding="utf-8")
    )


def app_page(config: dict[str, Any]) -> str:
    """The app's page; `config` (mode, token storage, what the server rendered) goes in
    as JSON the script reads. `</` is escaped so no value can close the script tag."""
    data = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>app.example</title>"
        # No favicon request: the simulated browser makes none either.
        "<link rel='icon' href='data:,'></head><body>"
        "<h1>app.example</h1><p id='who'>Log in</p>"
        f"<script type='application/json' id='authflow-config'>{data}</script>"
        f"<script>{page_script()}</script></body></html>"
    )


def attacker_page(title: str = "You have won a prize") -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><link rel='icon' href='data:,'></head>"
        "<body><h1>evil.example</h1></body></html>"
    )
