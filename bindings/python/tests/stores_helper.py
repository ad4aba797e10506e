"""Test stores made by the project's own programs: the demo's generated
records, pinned by `vectorpin pin-store` and attacked by `vectorpin-demo
attack`, plus a JSON Lines copy with the awkward cases JSONL allows."""
from __future__ import annotations

import json
import sqlite3
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class DemoStore:
    db: Path
    jsonl: Path
    pub: Path
    kid: str
    model: str


def run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kw)


def make_demo_store(cli: Path, demo: Path, work: Path, records: int = 600) -> DemoStore:
    work.mkdir(parents=True, exist_ok=True)
    db = work / "store.db"
    run(demo, "make-store", "--db", db, "--records", records, "--dim", 64)
    run(cli, "keygen", "--key-id", "k1", "--output", work / "keys")
    run(cli, "pin-store", "--store", f"sqlite:{db}", "--table", "docs", "--private-key", work / "keys" / "k1.priv",
        "--key-id", "k1", "--model", "m1", "--no-progress")
    run(demo, "attack", "--db", db, "--plan", work / "attacks.jsonl", "--key-dir", work / "keys")
    jsonl = work / "store.jsonl"
    con = sqlite3.connect(db)
    lines = []
    for i, (rid, source, vector, pin) in enumerate(con.execute("SELECT id, source, vector, vectorpin FROM docs")):
        rec: dict = {"id": rid, "source": source}
        vals = list(struct.unpack(f"<{len(vector) // 4}f", vector)) if vector is not None else None
        rec["vector"] = [float(f"{x:.9g}") for x in vals] if vals is not None else None
        if pin is not None:
            rec["vectorpin"] = json.loads(pin) if i % 3 == 0 else pin  # a nested object or a string
        line = json.dumps(rec, ensure_ascii=i % 2 == 0)
        if i % 50 == 7:
            line = line.replace(' "vectorpin"', '"vectorpin"', 1).replace("{", '{"source": "dup", ', 1)
        lines.append(line)
        if i % 97 == 0:
            lines.append("   ")
    con.close()
    lines += ["not json", '{"id": 17, "vector": [1, 2], "source": "x", "vectorpin": 5}',
              '{"id": [1], "vector": [1]}', '{"id": "no-vector", "source": "x", "vectorpin": "{}"}',
              '{"vector": [1, 2], "source": "x"}']
    jsonl.write_text("\n".join(lines) + "\r\n", encoding="utf-8")
    return DemoStore(db, jsonl, work / "keys" / "k1.pub", "k1", "m1")
