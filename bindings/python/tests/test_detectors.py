"""IsolationForestDetector measured on the demo's embeddings and attacks (the
numbers of docs/DETECTORS.md, asserted only as far as they hold), its API, and
`python -m vectorpin detect` on a store."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from detector_eval import load, measure
from stores_helper import run
from vectorpin.detectors import IsolationForestDetector


@pytest.fixture(scope="module")
def clean(demo, tmp_path_factory) -> np.ndarray:
    path = tmp_path_factory.mktemp("det") / "clean.jsonl"
    run(demo, "make-jsonl", "--out", path, "--records", 3000, "--dim", 384)
    return load(path)


def test_measured_rates(clean) -> None:
    fpr, rows = measure(clean)
    rate = {(name, strength): r for name, strength, r in rows}
    assert fpr <= 0.08  # measured 5.1 %; the forest's cut is set at 5 % contamination
    # Caught: distribution-shifting attacks at the strengths the table states.
    for key in [("noise injection", "sigma 0.05"), ("scaling", "x 1.5"), ("scaling", "x 3"), ("offset", "+0.05")]:
        assert rate[key] >= 0.95, key
    # Not caught, as docs/DETECTORS.md says plainly: the demo-strength attacks and
    # rotations within a plane sit at the false-positive rate.
    for key, r in rate.items():
        if "(demo)" in key[1] or key[1].startswith("Givens") or key[1].startswith("payload in all"):
            assert r <= 0.12, key


def test_api_shape() -> None:
    rng = np.random.default_rng(0)
    train = rng.standard_normal((500, 16))
    det = IsolationForestDetector(n_estimators=50)
    with pytest.raises(RuntimeError):
        det.score(train)
    assert det.fit(train) is det
    flags = det.decide(np.vstack([train[:10], train[:10] * 20]))
    assert flags.dtype == bool and flags.shape == (20,) and flags[10:].all()
    scores = det.score(train[:5])
    assert scores.shape == (5,)
    assert (det.decide(train[:5], threshold=-1.0)).all() and not det.decide(train[:5], threshold=10.0).any()
    with pytest.raises(ValueError):
        det.decide(rng.standard_normal((3, 8)))
    with pytest.raises(ValueError):
        det.fit(np.full((3, 16), np.nan))


def test_detect_command(cli, demo, tmp_path) -> None:
    db = tmp_path / "store.db"
    run(demo, "make-store", "--db", db, "--records", 560, "--dim", 64)
    run(cli, "keygen", "--key-id", "k1", "--output", tmp_path / "keys")
    run(cli, "pin-store", "--store", f"sqlite:{db}", "--table", "docs", "--private-key", tmp_path / "keys" / "k1.priv",
        "--key-id", "k1", "--model", "m1", "--no-progress")
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM docs ORDER BY id")]
    unpinned_clean = ids[-60:]  # never seen by the detector: the held-out clean records
    con.executemany("UPDATE docs SET vectorpin = NULL WHERE id = ?", [(i,) for i in unpinned_clean])
    poisoned = []
    for k, (rid, src, vec) in enumerate(con.execute("SELECT id, source, vector FROM docs LIMIT 20").fetchall()):
        v = np.frombuffer(vec, "<f4") * np.float32(3)
        poisoned.append(f"poison-{k}")
        con.execute("INSERT INTO docs (id, source, vector) VALUES (?, ?, ?)", (f"poison-{k}", src, v.tobytes()))
    con.execute("INSERT INTO docs (id, source, vector) VALUES ('short', 'x', ?)",
                (np.ones(8, "<f4").tobytes(),))
    con.commit()
    con.close()
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "new-poison", "source": "x", "vector": [5.0] * 64}) + "\n")
    p = subprocess.run([sys.executable, "-m", "vectorpin", "detect", "--store", f"sqlite:{db}", "--table", "docs",
                        "--public-key", str(tmp_path / "keys" / "k1.pub"), "--key-id", "k1", "--new", f"jsonl:{new}",
                        "--report", str(tmp_path / "flagged.jsonl")], capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    summary = json.loads(p.stdout)
    assert summary["fitted_on"] == 500 and summary["dim"] == 64 and summary["scored"] == 60 + 20 + 1 + 1
    flagged = [json.loads(line) for line in (tmp_path / "flagged.jsonl").read_text().splitlines()]
    flagged_ids = {f["id"] for f in flagged}
    assert set(poisoned) | {"new-poison", "short"} <= flagged_ids
    assert len(flagged_ids & set(unpinned_clean)) <= 12  # about 5 % of 60 expected
    assert summary["flagged"] == len(flagged)
    # usage errors and an unreadable store
    bad = subprocess.run([sys.executable, "-m", "vectorpin", "detect", "--store", f"sqlite:{db}"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    missing = subprocess.run([sys.executable, "-m", "vectorpin", "detect", "--store", f"sqlite:{tmp_path}/none.db",
                              "--table", "docs", "--public-key", str(tmp_path / "keys" / "k1.pub"), "--key-id", "k1"],
                             capture_output=True, text=True)
    assert missing.returncode == 3 and "cannot open" in missing.stderr
