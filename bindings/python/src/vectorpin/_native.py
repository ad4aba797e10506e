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

#: The C ABI this package is written for. ABI 2 gave every fallible getter a
#: trailing `vectorpin_error *` and put pin_get's and pin_extra_at's outputs
#: before their selector: calling a library of another ABI with these
#: signatures could corrupt memory, so the package refuses to load instead.
ABI_VERSION = 2


def check_abi(header_abi: int, library_abi: int) -> None:
    """Raises ImportError unless both the header the extension was compiled
    against and the library loaded at run time are of ABI_VERSION."""
    if header_abi != ABI_VERSION:
        raise ImportError(f"this vectorpin package needs libvectorpin ABI version {ABI_VERSION}, but its extension was "
                          f"compiled against a vectorpin.h of ABI version {header_abi}; rebuild it against a "
                          f"libvectorpin of ABI {ABI_VERSION}")
    if library_abi != ABI_VERSION:
        raise ImportError(f"the loaded libvectorpin has ABI version {library_abi}, but this vectorpin package "
                          f"needs ABI version {ABI_VERSION}; install a libvectorpin of ABI {ABI_VERSION} (libvectorpin.so."
                          f"{ABI_VERSION}) or rebuild the package against the installed library")


check_abi(int(lib.VECTORPIN_ABI_VERSION), int(lib.vectorpin_abi_version()))

__all__ = ["ffi", "lib", "ABI_VERSION", "check_abi", "call", "new_error", "status_name", "raise_error", "text_arg",
           "VectorPinError", "InvalidInputError", "KeyFileError"]


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
    """Calls a function whose last parameter is the `vectorpin_error *` and
    raises on failure."""
    err = new_error()
    check(fn(*args, err), err, what)


def pin_get(pin: Any, field: int, out: Any, out_len: Any) -> int:
    """vectorpin_pin_get; returns the status (NOT_FOUND is an answer)."""
    return lib.vectorpin_pin_get(pin, out, out_len, field, new_error())


def pin_extra_at(pin: Any, index: int, key: Any, key_len: Any, value: Any, value_len: Any) -> None:
    call(lib.vectorpin_pin_extra_at, pin, key, key_len, value, value_len, index)


def batch_next_result(batch: Any, cookie: Any, result: Any, wait: int) -> int:
    return lib.vectorpin_batch_next_result(batch, cookie, result, wait, new_error())
