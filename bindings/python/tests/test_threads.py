"""Verification releases the GIL: other Python threads run while the library
works, and many threads can verify with one verifier at once."""
from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from vectorpin import Signer, Verifier, VerifyError


def _setup(dim: int = 200_000):
    signer = Signer.generate(key_id="t")
    v = np.random.default_rng(3).standard_normal(dim).astype(np.float32)
    pin = signer.pin(source="s", model="m", vector=v)
    return Verifier({"t": signer.public_key_bytes()}), pin, v


def _other_thread_runs_during(call) -> tuple[int, int]:
    """Runs `call` N times on this thread while another thread waits for the
    GIL; with a switch interval far longer than the test, that thread can only
    run when a call gives the GIL up. Returns (calls finished when the other
    thread ran, N)."""
    n = 40
    progress = [0]
    seen: list[int] = []
    go = threading.Event()

    def other() -> None:
        go.wait()
        seen.append(progress[0])

    t = threading.Thread(target=other)
    t.start()
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        go.set()  # the other thread wakes and now needs the GIL, which this thread holds
        for _ in range(n):
            call()
            progress[0] += 1
    finally:
        sys.setswitchinterval(old)
    t.join()
    return seen[0], n


def test_single_verify_releases_the_gil() -> None:
    verifier, pin, v = _setup()
    ran_at, n = _other_thread_runs_during(lambda: verifier.verify(pin, vector=v))
    assert ran_at < n, "the other thread only ran after every verification: the GIL was held"


def test_batch_verify_releases_the_gil() -> None:
    verifier, pin, v = _setup()
    ran_at, n = _other_thread_runs_during(lambda: verifier.verify_batch([(pin, None, v)] * 2, threads=1))
    assert ran_at < n


def test_control_pure_python_holds_the_gil() -> None:
    """The method can fail: a call that keeps the GIL is caught by it."""
    def busy() -> None:
        sum(range(2000))
    ran_at, n = _other_thread_runs_during(busy)
    assert ran_at == n


def test_many_threads_share_one_verifier() -> None:
    signer = Signer.generate(key_id="t")
    rng = np.random.default_rng(5)
    vecs = [rng.standard_normal(256).astype(np.float32) for _ in range(64)]
    pins = [signer.pin(source=f"s{i}", model="m", vector=v) for i, v in enumerate(vecs)]
    verifier = Verifier({"t": signer.public_key_bytes()})

    def work(k: int) -> list[VerifyError]:
        out = []
        for i in range(len(pins)):
            j = (i + k) % len(pins)
            out.append(verifier.verify(pins[j], source=f"s{j}", vector=vecs[(j + (k % 2)) % len(pins)]).error)
        return out

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(16)))
    for k, res in enumerate(results):
        assert set(res) == ({VerifyError.OK} if k % 2 == 0 else {VerifyError.VECTOR_TAMPERED})
