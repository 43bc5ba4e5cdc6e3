"""The extraction pool: pages go to the workers in batches, and a worker that dies loses no page."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# Runs in a child process: a Twisted reactor cannot be restarted inside the test process.
SCRIPT = textwrap.dedent("""
    import json, os, signal, sys
    from concurrent.futures.process import BrokenProcessPool
    from twisted.internet import reactor, defer
    from pipelines.pool import PagePool

    N, KILL = int(sys.argv[1]), sys.argv[2] == "kill"
    pool = PagePool(2)
    body = "<html><body><article><p>" + "Une phrase d'article assez longue pour etre gardee. " * 12
    results, retried, killed = {}, [], []

    @defer.inlineCallbacks
    def one(n):
        for attempt in (1, 2):
            generation = pool.generation
            try:
                outcome = yield pool.submit(body + f" Page {n}.</p></article></body></html>",
                                            f"http://127.0.0.1/p/{n}/", ())
            except BrokenProcessPool:
                retried.append(n)
                pool.replace(generation)
                continue
            results[n] = outcome.status
            if KILL and not killed and len(results) == 3:
                victim = next(iter(pool._executor._processes))
                killed.append(victim)
                os.kill(victim, signal.SIGKILL)
            return

    @defer.inlineCallbacks
    def main():
        try:
            yield defer.DeferredList([one(n) for n in range(N)])
        finally:
            pool.close()
            reactor.stop()

    reactor.callWhenRunning(main)
    reactor.callLater(120, reactor.stop)
    reactor.run()
    print(json.dumps({"results": results, "retried": retried, "killed": killed}))
""")


def run_pool(n: int, kill: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(n), "kill" if kill else "keep"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_page_given_to_the_pool_comes_back_with_its_outcome() -> None:
    report = run_pool(30, kill=False)
    assert sorted(map(int, report["results"])) == list(range(30))
    assert set(report["results"].values()) == {"ok"}
    assert report["retried"] == []


def test_a_worker_killed_mid_crawl_costs_its_pages_one_retry_and_loses_none() -> None:
    report = run_pool(30, kill=True)
    assert report["killed"], "no worker was killed"
    assert report["retried"], "the killed worker's pages were not retried"
    assert sorted(map(int, report["results"])) == list(range(30))
    assert set(report["results"].values()) == {"ok"}


def test_a_batch_holds_at_most_max_batch_chars_of_html_and_a_bigger_page_goes_alone() -> None:
    from collections import deque

    from pipelines.pool import MAX_BATCH, MAX_BATCH_CHARS, Page, take_batch

    def page(chars: int) -> tuple[Page, None]:
        return Page("x" * chars, f"http://127.0.0.1/{chars}", ()), None

    small, half, big = 1000, MAX_BATCH_CHARS // 2, MAX_BATCH_CHARS + 1
    waiting = deque(
        [page(small)] * (MAX_BATCH + 1) + [page(half), page(half), page(small), page(big), page(small)]
    )
    sizes = []
    while waiting:
        sizes.append([len(p.html) for p, _ in take_batch(waiting)])
    assert sizes == [
        [small] * MAX_BATCH,
        [small, half],
        [half, small],
        [big],
        [small],
    ]
