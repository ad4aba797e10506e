"""The compiled extension, its version check, and the error conversions every
module shares."""
from __future__ import annotations

from typing import Any, NoReturn

try:
    from vectorpin._vectorpin_cffi import ffi, lib
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "vectorpin's native extension is not built: install the package with "
        "`pip install --no-build-isolation bindings/python` (see bindings/python/README.md)"
    ) from exc

# The extension was compiled against one header; the shared library loaded at
# run time must speak the same ABI.
if lib.vectorpin_abi_version() != lib.VECTORPIN_ABI_VERSION:  # pragma: no cover
    raise ImportError(
        f"libvectorpin ABI {lib.vectorpin_abi_version()} loaded, but this package was built for ABI "
        f"{lib.VECTORPIN_ABI_VERSION}; rebuild the package against the installed library"
    )

__all__ = ["ffi", "lib", "new_error", "status_name", "raise_error", "text_arg", "VectorPinError",
           "InvalidInputError", "KeyFileError"]


class VectorPinError(Exception):
    """A call into libvectorpin failed. `status` is the library's stable name
    ("INVALID_INPUT", ...), `detail` its message, `offset` the byte offset in
    the input where it applies (or -1)."""

    def __init__(self, status: str, detail: str, offset: int = -1):
        super().__init__(f"{status}: {detail}" if detail else status)
        self.status = status
        self.detail = detail
        self.offset = offset


class InvalidInputError(VectorPinError, ValueError):
    """Input the library refuses (bad key, text, vector or option); a ValueError
    as in upstream's package."""


class KeyFileError(VectorPinError, OSError):
    """A key file could not be read or written (missing, exists, insecure)."""


_INPUT_ERRORS = {"INVALID_ARGUMENT", "INVALID_INPUT", "INVALID_KEY", "DUPLICATE_KEY_ID", "BUFFER_TOO_SMALL",
                 "PARSE_ERROR", "UNSUPPORTED_VERSION"}
_FILE_ERRORS = {"IO_ERROR", "FILE_EXISTS", "INSECURE_PERMISSIONS", "NOT_FOUND"}


def new_error() -> Any:
    return ffi.new("vectorpin_error *")


def status_name(code: int) -> str:
    return ffi.string(lib.vectorpin_status_name(code)).decode("ascii")


def error_detail(err: Any) -> str:
    return ffi.string(err.message).decode("utf-8", "replace")


def raise_error(status: int, err: Any = None, what: str = "") -> NoReturn:
    name = status_name(status)
    detail = error_detail(err) if err is not None else ""
    if what:
        detail = f"{what}: {detail}" if detail else what
    offset = int(err.offset) if err is not None else -1
    if name in _FILE_ERRORS:
        raise KeyFileError(name, detail, offset)
    if name in _INPUT_ERRORS:
        raise InvalidInputError(name, detail, offset)
    if name == "OUT_OF_MEMORY":
        raise MemoryError(detail or name)
    raise VectorPinError(name, detail, offset)


def check(status: int, err: Any = None, what: str = "") -> None:
    if status != lib.VECTORPIN_OK:
        raise_error(status, err, what)


def text_arg(value: str | bytes | bytearray | memoryview, name: str) -> bytes:
    """UTF-8 bytes of a text argument. A str that cannot be UTF-8 (a lone
    surrogate) is passed through as the invalid bytes, so the library refuses
    it with its own error rather than Python raising a different one."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{name} must be str or bytes, not {type(value).__name__}")
