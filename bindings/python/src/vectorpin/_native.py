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

# ABI 2 gave the getters that could not report errors a trailing
# `vectorpin_error *` and moved pin_get's and pin_extra_at's selector after
# the outputs; the calls below accept either header.
ABI = int(lib.VECTORPIN_ABI_VERSION)

__all__ = ["ffi", "lib", "ABI", "call", "new_error", "status_name", "raise_error", "text_arg", "VectorPinError",
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


def call(fn: Any, *args: Any, what: str = "") -> None:
    """Calls a getter that gained a trailing `vectorpin_error *` in ABI 2 and
    raises on failure."""
    if ABI >= 2:
        err = new_error()
        check(fn(*args, err), err, what)
    else:
        check(fn(*args), None, what)


def pin_get(pin: Any, field: int, out: Any, out_len: Any) -> int:
    """vectorpin_pin_get; returns the status (NOT_FOUND is an answer)."""
    if ABI >= 2:
        return lib.vectorpin_pin_get(pin, out, out_len, field, new_error())
    return lib.vectorpin_pin_get(pin, field, out, out_len)


def pin_extra_at(pin: Any, index: int, key: Any, key_len: Any, value: Any, value_len: Any) -> None:
    if ABI >= 2:
        call(lib.vectorpin_pin_extra_at, pin, key, key_len, value, value_len, index)
    else:
        call(lib.vectorpin_pin_extra_at, pin, index, key, key_len, value, value_len)


def batch_next_result(batch: Any, cookie: Any, result: Any, wait: int) -> int:
    if ABI >= 2:
        return lib.vectorpin_batch_next_result(batch, cookie, result, wait, new_error())
    return lib.vectorpin_batch_next_result(batch, cookie, result, wait)


# Batch items carry their layout's version from ABI 2 on.
BATCH_ITEM_VERSION = getattr(lib, "VECTORPIN_BATCH_ITEM_VERSION", None)
