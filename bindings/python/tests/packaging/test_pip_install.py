"""`pip install bindings/python` as a user runs it: offline, with Debian's
setuptools and cffi (--no-build-isolation), into a fresh directory, then
upstream's README example run from there, outside the checkout."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(os.environ.get("VECTORPIN_PYTHON_SOURCE", Path(__file__).resolve().parents[2]))
EXAMPLE = SOURCE / "tests" / "upstream_examples" / "readme_quickstart.py"
PRELUDE = """
import numpy as np
class _Model:
    def embed(self, text):
        return np.linspace(-1, 1, 1536, dtype=np.float32)
my_model = _Model()
"""


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VECTORPIN_LIB_DIR", "VECTORPIN_INCLUDE_DIR", "LD_LIBRARY_PATH",
                        "PKG_CONFIG_PATH", "VECTORPIN_PYTHON_LIBRARY")}
    env.update(extra)
    return env


def _pip_install(tmp: Path, target: Path, env: dict[str, str]) -> None:
    # A copy, so the in-tree build leaves nothing behind in the checkout.
    src = tmp / f"src-{target.name}"
    shutil.copytree(SOURCE, src, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "*.so*"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                    "--disable-pip-version-check", "--quiet", "--target", str(target), str(src)],
                   check=True, env=env, cwd=tmp)


def _run_example(tmp: Path, target: Path) -> str:
    script = tmp / "example.py"
    script.write_text(PRELUDE + EXAMPLE.read_text(encoding="utf-8") +
                      "\nimport vectorpin\nassert result.ok\nprint(vectorpin.__file__)\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True, text=True, cwd=tmp,
                         env=_clean_env(PYTHONPATH=str(target))).stdout
    return out.strip()


def _check_installed(target: Path) -> None:
    pkg = target / "vectorpin"
    assert (pkg / "py.typed").exists() and (pkg / "_vectorpin_cffi.pyi").exists()
    assert list(pkg.glob("_vectorpin_cffi*.so")) and (pkg / "detectors" / "isolation_forest.py").exists()


def test_install_against_a_library_directory(tmp_path: Path) -> None:
    target = tmp_path / "site-dir"
    _pip_install(tmp_path, target, _clean_env(VECTORPIN_LIB_DIR=os.environ["VECTORPIN_LIB_DIR"],
                                              VECTORPIN_INCLUDE_DIR=os.environ["VECTORPIN_INCLUDE_DIR"]))
    _check_installed(target)
    assert _run_example(tmp_path, target) == str(target / "vectorpin" / "__init__.py")


def test_install_against_pkg_config(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    subprocess.run([os.environ.get("CMAKE", "cmake"), "--install", os.environ["VECTORPIN_BUILD_DIR"], "--prefix",
                    str(prefix)], check=True, capture_output=True)
    pcs = list(prefix.rglob("vectorpin.pc"))
    assert pcs, "cmake --install wrote no vectorpin.pc"
    target = tmp_path / "site-pc"
    _pip_install(tmp_path, target, _clean_env(PKG_CONFIG_PATH=str(pcs[0].parent)))
    _check_installed(target)
    assert _run_example(tmp_path, target) == str(target / "vectorpin" / "__init__.py")
