"""The shard rule shared with `vectorpin audit --shard I/N` (docs/AUDIT.md):
a record belongs to shard u64_big_endian(SHA-256(id)[0:8]) mod N, where id is
the UTF-8 text of the record id as the audit reads it; a record whose id
cannot be read belongs to shard 0."""
from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

MAX_SHARDS = 65536

__all__ = ["MAX_SHARDS", "Shard", "parse_shard", "shard_of"]

_PLAIN = re.compile(r"(0|[1-9][0-9]{0,4})\Z")


class Shard(NamedTuple):
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """"I/N" in plain decimal, 1 <= N <= 65536, 0 <= I < N; ValueError otherwise."""
    i, sep, n = text.partition("/")
    if not sep or not _PLAIN.match(i) or not _PLAIN.match(n):
        raise ValueError(f"shard must be I/N in plain decimal, not {text[:32]!r}")
    shard = Shard(int(i), int(n))
    check_shard(shard.index, shard.count)
    return shard


def check_shard(index: int, count: int) -> None:
    if not 1 <= count <= MAX_SHARDS:
        raise ValueError(f"the shard count must be 1..{MAX_SHARDS}, not {count}")
    if not 0 <= index < count:
        raise ValueError(f"the shard index must be 0..{count - 1}, not {index}")


def shard_of(record_id: bytes | str | None, count: int) -> int:
    if record_id is None or count <= 1:
        return 0
    data = record_id.encode("utf-8", "surrogatepass") if isinstance(record_id, str) else record_id
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big") % count
