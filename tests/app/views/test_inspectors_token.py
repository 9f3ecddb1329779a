"""app/views/inspectors/token_decoder.py: three labelled colours and the server's verdicts."""

from __future__ import annotations

import dataclasses

import jwt
import pytest
from inspector_fixtures import CLAIMS, SECRET, SIGNED_SID, TOKEN, fixture_trace
from PySide6.QtGui import QColor, QPalette

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.views.inspectors.tints import TOKEN_PARTS, VERDICT
from authflow.app.views.inspectors.token_decoder import TokenDecoder
from authflow.app.views.inspectors.token_sources import find_tokens, server_keys
from authflow.app.views.inspectors.trace_lookup import start_epoch
from authflow.simulator.analysis.token_report import (
    NONE_ALG_REASON,
    encode_segment,
    reencode_jwt,
    verify_jwt,
)
from authflow.simulator.trace.clock import START_EPOCH


@pytest.fixture
def decoder(qtbot) -> TokenDecoder:
    widget = TokenDecoder()
    qtbot.addWidget(widget)
    widget.show_event_at(fixture_trace(), 6)  # t = 300.2 s
    return widget


def root_colours(decoder: TokenDecoder) -> list[str]:
    return [node.foreground.name().upper() for node in decoder.model.roots]


def text_colours(decoder: TokenDecoder) -> list[tuple[int, int, str]]:
    block = decoder.text.document().firstBlock()
    return [
        (r.start, r.length, r.format.foreground().color().name().upper())
        for r in block.layout().formats()
    ]


def claim_meaning(decoder: TokenDecoder, claim: str) -> str:
    payload = decoder.model.roots[1]
    return next(node.texts[2] for node in payload.children if node.texts[0] == claim)


def test_valid_token_in_three_labelled_colours(decoder: TokenDecoder) -> None:
    decoder.show_token(TOKEN)
    assert decoder.verdict is not None
    assert decoder.verdict.ok
    assert decoder.verdict_label.text().startswith("✔ VALID: valid")
    light = TOKEN_PARTS["light"]
    assert root_colours(decoder) == [light[p].upper() for p in ("header", "payload", "signature")]
    assert [n.texts[0] for n in decoder.model.roots] == ["HEADER", "PAYLOAD", "SIGNATURE"]
    header, payload, _ = TOKEN.split(".")
    assert text_colours(decoder) == [
        (0, len(header), light["header"].upper()),
        (len(header) + 1, len(payload), light["payload"].upper()),
        (len(header) + len(payload) + 2, len(TOKEN.split(".")[2]), light["signature"].upper()),
    ]
    assert [
        label.text().count(word)
        for label, word in zip(decoder.legend, ("HEADER", "PAYLOAD", "SIGNATURE"), strict=True)
    ] == [1, 1, 1]
    assert claim_meaning(decoder, "exp") == "expiry: t+15:00 · expires in 10 min"
    assert claim_meaning(decoder, "iat") == "issued at: t+00:00 · issued 5 min ago"


def test_expired_token(decoder: TokenDecoder) -> None:
    expired = jwt.encode({**CLAIMS, "exp": START_EPOCH + 100}, SECRET, algorithm="HS256")
    decoder.show_token(expired)
    assert decoder.verdict is not None
    assert decoder.verdict.reason == "expired 200 s ago"
    assert decoder.verdict_label.text().startswith("✘ REJECTED: expired 200 s ago")
    assert claim_meaning(decoder, "exp") == "expiry: t+01:40 · expired 3 min ago"
    assert VERDICT["light"]["bad"].lower() in decoder.verdict_label.styleSheet()


def test_tampered_token_has_bad_signature(decoder: TokenDecoder) -> None:
    decoder.show_token(reencode_jwt(TOKEN, {**CLAIMS, "role": "admin"}))
    assert decoder.verdict is not None
    assert decoder.verdict.reason == "bad signature"
    assert claim_meaning(decoder, "role").startswith("role")


def test_alg_none_is_refused(decoder: TokenDecoder) -> None:
    forged = f"{encode_segment({'alg': 'none', 'typ': 'JWT'})}.{encode_segment(CLAIMS)}."
    decoder.show_token(forged)
    assert decoder.verdict is not None
    assert decoder.verdict.reason == NONE_ALG_REASON
    header = decoder.model.roots[0]
    assert header.children[0].texts[:2] == ("alg", "none")
    assert decoder.model.roots[2].texts[1] == "(empty)"


@pytest.mark.parametrize("text", ["garbage", "eyJhbGciOi.!!.x", "a.b.c.d", "eyJ9.e30.sig"])
def test_malformed_token_is_explained(decoder: TokenDecoder, text: str) -> None:
    decoder.show_token(text)
    assert decoder.verdict is not None
    assert decoder.verdict.reason.startswith("malformed: ")
    assert decoder.verdict_label.text().startswith("✘ REJECTED: malformed: ")


def test_dark_palette_switches_to_light_on_dark_colours(decoder: TokenDecoder) -> None:
    decoder.show_token(TOKEN)
    palette = decoder.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1E1E1E"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#2A2A2A"))
    decoder.setPalette(palette)
    dark = TOKEN_PARTS["dark"]
    assert root_colours(decoder) == [dark[p].upper() for p in ("header", "payload", "signature")]
    assert text_colours(decoder)[0][2] == dark["header"].upper()


def test_signed_session_cookie_parts_and_verdict(decoder: TokenDecoder) -> None:
    decoder.show_token(SIGNED_SID)
    assert [n.texts[0] for n in decoder.model.roots] == ["VALUE", "SIGNATURE"]
    assert decoder.model.roots[0].texts[1] == SIGNED_SID.rsplit(".", 1)[0]
    assert decoder.verdict is not None
    assert decoder.verdict.ok
    decoder.show_token("0" + SIGNED_SID[1:])
    assert decoder.verdict is not None
    assert decoder.verdict.reason == "bad signature"


def test_tokens_of_the_step_are_offered(decoder: TokenDecoder) -> None:
    decoder.show_event_at(fixture_trace(), 4)
    labels = [f.label for f in decoder.found]
    assert labels[0] == "Authorization of POST /api/transfer"
    assert decoder.text.toPlainText() == TOKEN
    assert decoder.source.itemText(decoder.source.count() - 1) == TokenDecoder.PASTED


def test_model_passes_qtmodeltester(decoder: TokenDecoder, qtmodeltester) -> None:
    decoder.show_token(TOKEN)
    qtmodeltester.check(decoder.model)


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
@pytest.mark.parametrize("algorithm", ["HS256", "ES256"])
def test_server_keys_verify_the_servers_own_credentials(mode: str, algorithm: str) -> None:
    trace = simulator.run_scenario("basics", mode, overrides={"algorithm": algorithm}, seed=5)
    keys = server_keys(trace)
    found = [f for i in range(len(trace)) for f in find_tokens(trace, i)]
    jwts = [f for f in found if f.kind == "jwt"]
    assert jwts or mode == "session"
    assert keys.jwt_key is not None
    for token in jwts:
        assert verify_jwt(token.value, keys.jwt_key, [algorithm], start_epoch(trace)).ok


def test_decoder_shows_the_forged_token_of_the_alg_none_lesson(qtbot) -> None:
    trace = simulator.run_scenario("alg-none", "jwt", seed=1)
    player = Player()
    decoder = TokenDecoder(player)
    qtbot.addWidget(decoder)
    stored = next(e.seq for e in trace.events if e.kind == "storage")
    player.set_trace(trace, stored)
    assert decoder.verdict is not None
    assert decoder.verdict.ok
    forged = next(e.seq for e in trace.events if e.kind == "request" and e.src == "attacker")
    player.jump(forged)
    assert decoder.source.currentText() == "Authorization of GET /api/profile"
    assert decoder.verdict is not None
    assert decoder.verdict.reason == NONE_ALG_REASON
    assert decoder.model.roots[0].children[0].texts[:2] == ("alg", "none")


def test_a_picked_or_pasted_token_stays_while_stepping(qtbot) -> None:
    trace = simulator.run_scenario("alg-none", "jwt", seed=1)
    player = Player()
    decoder = TokenDecoder(player)
    qtbot.addWidget(decoder)
    forged = next(e.seq for e in trace.events if e.kind == "request" and e.src == "attacker")
    player.set_trace(trace, forged)
    stored = next(i for i, f in enumerate(decoder.found) if f.label.startswith("localStorage"))
    decoder.source.setCurrentIndex(stored)
    decoder.source.activated.emit(stored)
    player.step_forward()
    assert decoder.text.toPlainText() == decoder.found[stored].value
    assert decoder.verdict is not None
    assert decoder.verdict.ok
    decoder.show_token(TOKEN)
    player.step_back()
    assert decoder.text.toPlainText() == TOKEN
    assert decoder.source.currentText() == TokenDecoder.PASTED
    decoder.follow_trace()
    assert decoder.source.currentText() == "Authorization of GET /api/profile"


def test_refresh_cookie_is_shown_as_an_opaque_token(qtbot) -> None:
    trace = simulator.run_scenario("refresh-reuse", "hybrid", seed=1)
    decoder = TokenDecoder()
    qtbot.addWidget(decoder)
    refresh = next(e.seq for e in trace.events if e.kind == "request" and "refresh" in e.label)
    decoder.show_event_at(trace, refresh)
    assert decoder.found[0].kind == "opaque"
    assert [n.texts[0] for n in decoder.model.roots] == ["OPAQUE", "STORE KEY"]
    store_key = decoder.model.roots[1].texts[1]
    assert store_key in trace.events[refresh].state.stores["store"]
    assert decoder.verdict is None
    assert decoder.verdict_label.text().startswith("Not signed")
    assert [label.isVisibleTo(decoder) for label in decoder.legend] == [False, True, False]


def test_unseeded_runs_verify_with_the_keys_the_trace_records() -> None:
    known = simulator.run_scenario("basics", "jwt", overrides={"secret": "s" * 40})
    assert known.seed is None
    assert server_keys(known).jwt_key == "s" * 40
    unseeded_pair = simulator.run_scenario("basics", "jwt", overrides={"algorithm": "ES256"})
    key = server_keys(unseeded_pair).jwt_key
    assert key is not None
    assert key.startswith("-----BEGIN PUBLIC KEY-----")
    # A hand-made trace that records no keys and has no seed cannot be verified.
    bare = dataclasses.replace(unseeded_pair, server={}, seed=None)
    assert server_keys(bare).jwt_key is None


@pytest.mark.parametrize("algorithm", ["RS256", "HS256"])
def test_after_a_key_rotation_each_token_is_checked_with_the_key_its_kid_names(
    qtbot, algorithm: str
) -> None:
    trace = simulator.run_scenario(
        "key-rotation", "jwt", overrides={"algorithm": algorithm, "scrypt_n": "1024"}, seed=3
    )
    player = Player()
    decoder = TokenDecoder(player)
    qtbot.addWidget(decoder)
    # Alice's second login answers with a token signed by key-2.
    logins = [
        e.seq
        for e in trace.events
        if e.kind == "response"
        and isinstance(e.detail.get("body"), dict)
        and "access_token" in e.detail["body"]
        and e.dst == "browser"
    ]
    player.set_trace(trace, logins[-1])
    decoder.show_token(trace.events[logins[-1]].detail["body"]["access_token"])
    assert jwt.get_unverified_header(decoder.text.toPlainText())["kid"] == "key-2"
    assert decoder.verdict is not None
    assert decoder.verdict.ok, decoder.verdict_label.text()
    assert decoder.verdict_label.text().endswith(f"checked with the server's {algorithm} key key-2")
    # The first token, key-1's, still verifies with key-1 (its signature is sound).
    decoder.show_token(trace.events[logins[0]].detail["body"]["access_token"])
    assert decoder.verdict is not None
    assert decoder.verdict.ok
    assert decoder.verdict_label.text().endswith("key key-1")
