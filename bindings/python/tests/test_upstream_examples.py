"""Upstream's documented examples run unchanged against this package."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from vectorpin import KeyEntry, Signer, Verifier, VerifyError

EXAMPLES = Path(__file__).resolve().parent / "upstream_examples"


class FakeModel:
    """Stands in for the user's embedding model of the README."""

    def embed(self, text: str) -> np.ndarray:
        rng = np.random.default_rng(abs(hash(text)) % 2**32)
        v = rng.standard_normal(3072).astype(np.float32)
        return v / np.linalg.norm(v)


def run_example(name: str, names: dict) -> dict:
    code = (EXAMPLES / name).read_text(encoding="utf-8")
    scope = dict(names)
    exec(compile(code, str(EXAMPLES / name), "exec"), scope)  # noqa: S102 - our own checked-in file
    return scope


def test_readme_quickstart_runs_and_verifies(capsys) -> None:
    scope = run_example("readme_quickstart.py", {"my_model": FakeModel()})
    assert scope["result"].ok and capsys.readouterr().out == ""
    # the failure branch as the README prints it
    tampered = scope["embedding"].copy()
    tampered[7] *= 1.01
    r = scope["verifier"].verify(scope["pin"], source="The quick brown fox.", vector=tampered)
    assert f"INTEGRITY FAILURE: {r.error.value} — {r.detail}".startswith("INTEGRITY FAILURE: vector_tampered — ")


def test_readme_quickstart_as_a_script(tmp_path) -> None:
    """The same file as a separate program, as a user runs it."""
    script = tmp_path / "example.py"
    prelude = textwrap.dedent("""
        import numpy as np
        class _Model:
            def embed(self, text):
                return np.linspace(-1, 1, 3072, dtype=np.float32)
        my_model = _Model()
    """)
    script.write_text(prelude + (EXAMPLES / "readme_quickstart.py").read_text(encoding="utf-8")
                      + "\nassert result.ok\nprint('verified', pin.to_json()[:9])\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == 'verified {"kid":"p'


def test_deployment_guide_registry(tmp_path) -> None:
    new, old = Signer.generate(key_id="prod-2026-05"), Signer.generate(key_id="prod-2025-11")
    keys = {"./keys/prod-2026-05.pub": new.public_key_bytes(), "./keys/prod-2025-11.pub": old.public_key_bytes()}
    scope = run_example("deployment_registry.py", {"load_public_bytes": keys.__getitem__})
    verifier: Verifier = scope["verifier"]
    v = np.ones(8, dtype=np.float32)

    def at(signer: Signer, y: int, m: int) -> VerifyError:
        pin = signer.pin(source="s", model="m", vector=v, timestamp=datetime(y, m, 2, tzinfo=timezone.utc))
        return verifier.verify(pin, source="s", vector=v).error

    assert at(new, 2026, 6) is VerifyError.OK
    assert at(new, 2026, 4) is VerifyError.KEY_EXPIRED
    assert at(old, 2026, 1) is VerifyError.OK
    assert at(old, 2026, 5) is VerifyError.KEY_EXPIRED  # pins after the cutover
    assert isinstance(KeyEntry(public_key=b"", valid_from=None), KeyEntry)
