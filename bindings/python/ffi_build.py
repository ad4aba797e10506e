"""Builds the cffi extension `vectorpin._vectorpin_cffi` (API mode) over libvectorpin.

The declarations handed to cffi are generated from include/vectorpin.h by the
C preprocessor, never written by hand, and API mode compiles the extension
against the real header: a declaration that drifted from the header fails
the build instead of corrupting memory at run time.

Where the library comes from, in this order (the same sources the Node
binding accepts):

  VECTORPIN_LIB_DIR    a directory holding libvectorpin.so, e.g. a build tree;
                       the header from VECTORPIN_INCLUDE_DIR, else
                       <lib dir>/../include, else the checkout around this file
  pkg-config           an installed libvectorpin (`pkg-config vectorpin`)
  source               the checkout around this folder is built with CMake and
                       the library is bundled inside the package

VECTORPIN_PYTHON_LIBRARY=dir|pkg-config|source forces one of them.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent.parent
MODULE = "vectorpin._vectorpin_cffi"
# The C ABI the package's Python code calls (vectorpin._native.ABI_VERSION
# checks it again at import, against the loaded library).
ABI_VERSION = 2


@dataclass
class NativeLibrary:
    how: str
    include_dir: Path
    library_dirs: list[str] = field(default_factory=list)
    rpath: list[str] = field(default_factory=list)
    extra_link_args: list[str] = field(default_factory=list)
    bundle: Path | None = None  # a shared library to copy into the package


def _compiler() -> list[str]:
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shlex.split(cc)


def header_cdef(header: Path) -> str:
    """The header's declarations as cffi reads them.

    Only the #include lines are dropped (cffi knows size_t and the stdint
    types); the preprocessor then expands the rest with no compiler-specific
    macros defined, so export and attribute macros collapse to nothing.
    Integer macros are kept as `#define NAME ...`, which cffi fills in from
    the real header at compile time.
    """
    text = header.read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#include"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "vectorpin_cdef.h"
        src.write_text(body, encoding="utf-8")
        cmd = _compiler() + ["-E", "-P", "-std=c99", "-undef", "-U__GNUC__", "-U__clang__", "-U_WIN32", str(src)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    macros = re.findall(r"^#define\s+(VECTORPIN_[A-Z0-9_]+)\s+\(?(?:0x[0-9a-fA-F]+|\d+)u?\)?\s*(?:/\*.*)?$",
                        text, flags=re.MULTILINE)
    defines = "".join(f"#define {name} ...\n" for name in macros)
    return out + "\n" + defines


def _pkg_config() -> NativeLibrary | None:
    if not shutil.which("pkg-config"):
        return None
    try:
        cflags = subprocess.run(["pkg-config", "--cflags-only-I", "vectorpin"], check=True, capture_output=True,
                                text=True).stdout.split()
        libdirs = subprocess.run(["pkg-config", "--libs-only-L", "vectorpin"], check=True, capture_output=True,
                                 text=True).stdout.split()
    except subprocess.CalledProcessError:
        return None
    incs = [flag[2:] for flag in cflags if flag.startswith("-I")]
    dirs = [flag[2:] for flag in libdirs if flag.startswith("-L")]
    include = next((Path(d) for d in incs if (Path(d) / "vectorpin.h").exists()), Path("/usr/include"))
    return NativeLibrary("pkg-config", include, dirs, dirs)


def _from_dir(lib_dir: str) -> NativeLibrary:
    lib = Path(lib_dir).resolve()
    if not any(lib.glob("libvectorpin.so*")) and not any(lib.glob("libvectorpin.dylib")):
        raise SystemExit(f"VECTORPIN_LIB_DIR={lib_dir}: no libvectorpin shared library there")
    candidates = [os.environ.get("VECTORPIN_INCLUDE_DIR"), str(lib.parent / "include"), str(CHECKOUT / "include")]
    include = next((Path(c) for c in candidates if c and (Path(c) / "vectorpin.h").exists()), None)
    if include is None:
        raise SystemExit("vectorpin.h not found: set VECTORPIN_INCLUDE_DIR")
    return NativeLibrary("dir", include, [str(lib)], [str(lib)])


def _from_source(work: Path) -> NativeLibrary:
    if not (CHECKOUT / "include" / "vectorpin.h").exists() or not (CHECKOUT / "src").is_dir():
        raise SystemExit("libvectorpin not found: set VECTORPIN_LIB_DIR, install it where pkg-config finds it, "
                         "or build from a vectorpin checkout")
    cmake = shutil.which("cmake")
    if not cmake:
        raise SystemExit("building libvectorpin from the checkout needs cmake (Debian: cmake)")
    build = work / "vectorpin-core"
    options = ["-DCMAKE_BUILD_TYPE=Release", "-DVECTORPIN_BUILD_TESTS=OFF", "-DVECTORPIN_BUILD_CLI=OFF",
               "-DVECTORPIN_BUILD_BINDINGS=OFF", "-DVECTORPIN_BUILD_BENCH=OFF"]
    subprocess.run([cmake, "-S", str(CHECKOUT), "-B", str(build)] + options, check=True)
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
    subprocess.run([cmake, "--build", str(build), "--target", "vectorpin", "-j", jobs], check=True)
    sonames = sorted(p for p in build.glob("libvectorpin.so.*") if p.name.count(".") == 2)
    if not sonames:
        raise SystemExit(f"the core build in {build} produced no libvectorpin.so.N")
    # The extension links against the SONAME file bundled beside it.
    return NativeLibrary("source", CHECKOUT / "include", [str(build)], ["$ORIGIN"], bundle=sonames[0])


def locate(work: Path) -> NativeLibrary:
    forced = os.environ.get("VECTORPIN_PYTHON_LIBRARY", "")
    lib_dir = os.environ.get("VECTORPIN_LIB_DIR")
    if forced not in ("", "dir", "pkg-config", "source"):
        raise SystemExit(f"VECTORPIN_PYTHON_LIBRARY must be dir, pkg-config or source (got {forced!r})")
    if forced == "dir" or (not forced and lib_dir):
        if not lib_dir:
            raise SystemExit("VECTORPIN_PYTHON_LIBRARY=dir needs VECTORPIN_LIB_DIR")
        return _from_dir(lib_dir)
    if forced in ("", "pkg-config"):
        found = _pkg_config()
        if found:
            return found
        if forced:
            raise SystemExit("`pkg-config vectorpin` found no installed libvectorpin (PKG_CONFIG_PATH?)")
    return _from_source(work)


def header_abi(header: Path) -> int | None:
    m = re.search(r"^#define VECTORPIN_ABI_VERSION (\d+)$", header.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return int(m.group(1)) if m else None


def make_ffi(native: NativeLibrary) -> FFI:
    header = native.include_dir / "vectorpin.h"
    found = header_abi(header)
    if found != ABI_VERSION:
        raise SystemExit(f"{header} is of libvectorpin ABI version {found}, but this package needs ABI version "
                         f"{ABI_VERSION}: point it at a libvectorpin of ABI {ABI_VERSION} (VECTORPIN_LIB_DIR, "
                         f"VECTORPIN_INCLUDE_DIR, pkg-config)")
    ffibuilder = FFI()
    ffibuilder.cdef(header_cdef(header))
    ffibuilder.set_source(
        MODULE,
        '#include "vectorpin.h"\n',
        include_dirs=[str(native.include_dir)],
        libraries=["vectorpin"],
        library_dirs=native.library_dirs,
        extra_link_args=[f"-Wl,-rpath,{d}" for d in native.rpath] + native.extra_link_args,
    )
    return ffibuilder


def build_into(target: Path) -> Path:
    """Compiles the extension into `target` (a directory on sys.path). For tests."""
    work = Path(tempfile.mkdtemp(prefix="vectorpin-ffi-"))
    try:
        native = locate(work)
        ffi = make_ffi(native)
        ext = Path(ffi.compile(tmpdir=str(work), verbose=False))
        dest = target / "vectorpin"
        dest.mkdir(parents=True, exist_ok=True)
        out = dest / ext.name
        shutil.copy2(ext, out)
        if native.bundle:
            shutil.copy2(native.bundle, dest / native.bundle.name)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--cdef":
        sys.stdout.write(header_cdef(Path(sys.argv[2])))
    elif len(sys.argv) == 3 and sys.argv[1] == "--build-into":
        print(build_into(Path(sys.argv[2])))
    else:
        sys.exit("usage: ffi_build.py --cdef HEADER | --build-into DIR")
