# Types of the compiled cffi extension (it has no Python source). `ffi` and
# `lib` are cffi's objects; `lib` carries every vectorpin_* function and
# VECTORPIN_* constant of include/vectorpin.h.
from typing import Any

ffi: Any
lib: Any
