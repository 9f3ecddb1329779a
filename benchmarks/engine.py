"""Engine cost per request, as a ratio to doing the same verification by hand.

Per mode: log in once, then send 2,000 `GET /api/profile` through the simulator (page
script, cookie jar, server, store, recorder with state snapshots) and compare the mean
cost per request with the bare verification done directly in this process (PyJWT
decode / itsdangerous unsign + dict lookup), timed in alternating rounds of 100. Also
the mean cost of a whole `basics` run and the peak memory of a 10,000-event trace.
Login is excluded (scrypt is slow on purpose); the engine runs with the default scrypt
cost otherwise.

    python benchmarks/engine.py
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable

import jwt
from itsdangerous import Signer

from authflow import simulator
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.trace.trace import Step
from authflow.simulator.world.engine import World

REQUESTS = 2_000
ROUND = 100


def world_after_login(mode: str) -> tuple[World, PageScript]:
    world = World(mode, {}, seed=1)
    page = PageScript(world)
    page.login("alice", "wonderland", False)
    return world, page


def bare_verifier(mode: str) -> Callable[[], object]:
    """The check a request needs, done directly: itsdangerous + dict, or PyJWT."""
    world, page = world_after_login(mode)
    if mode == "session":
        cookie = world.browser.jar.rows()[0].value
        signer = Signer(world.keys.secret_text, salt="authflow.session")
        table = {f"sess:{signer.unsign(cookie).decode()}": '{"user": "alice"}'}

        def verify() -> object:
            return table[f"sess:{signer.unsign(cookie).decode()}"]

        return verify
    token = page.token()
    assert token is not None
    key = world.keys.verification_key
    # The same checks the server makes: the signature, and the token's issuer and audience.
    issuer, audience = world.app_origin, world.app_origin + "/api"

    def verify_jwt() -> object:
        return jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            options={"verify_exp": False},
            audience=audience,
            issuer=issuer,
        )

    return verify_jwt


def costs(mode: str) -> tuple[float, float]:
    """Mean seconds per request through the engine, and per bare check.

    The two are timed in alternating rounds of 100, so a slow spell of a shared machine
    falls on both alike instead of on whichever happened to run then."""
    _, page = world_after_login(mode)
    verify = bare_verifier(mode)
    # The previous run's world is garbage in reference cycles: collect it now, so its
    # collection is not charged to this run (the collector stays on while timing).
    gc.collect()
    engine = bare = 0.0
    for _ in range(REQUESTS // ROUND):
        start = time.perf_counter()
        for _ in range(ROUND):
            page.api("GET", "/api/profile")
        middle = time.perf_counter()
        for _ in range(ROUND):
            verify()
        engine += middle - start
        bare += time.perf_counter() - middle
    assert page.browser.page.last_status == 200
    return engine / REQUESTS, bare / REQUESTS


def basics_cost(mode: str, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        simulator.run_scenario("basics", mode, seed=1)  # scrypt cached after the first run
        times.append(time.perf_counter() - start)
    return statistics.mean(times[1:])


def peak_memory_10k() -> tuple[int, float]:
    steps = [Step("login", {}, "")] + [Step("profile", {}, "")] * 2_600
    tracemalloc.start()
    trace = simulator.simulate(steps, "session", {"scrypt_n": "1024"}, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return len(trace.events), peak / 2**20


def main() -> None:
    print(f"engine: {REQUESTS} GET /api/profile per mode after one login (µs per request)")
    print(f"{'mode':<8} {'engine':>9} {'bare':>9} {'ratio':>7} {'overhead':>10}  targets")
    for mode in simulator.MODES:
        # The quickest of three runs: the one a busy machine disturbed least.
        engine, bare = (v * 1e6 for v in min(costs(mode) for _ in range(3)))
        target = "ratio <= 3x, " if mode == "jwt" else ""
        print(
            f"{mode:<8} {engine:9.1f} {bare:9.1f} {engine / bare:6.1f}x {engine - bare:9.1f}  "
            f"{target}overhead < 40 µs"
        )
    for mode in simulator.MODES:
        print(f"basics run ({mode}): {basics_cost(mode) * 1e3:.2f} ms mean")
    events, peak = peak_memory_10k()
    print(f"peak memory for a {events}-event trace: {peak:.1f} MB (target < 150 MB)")


if __name__ == "__main__":
    main()
