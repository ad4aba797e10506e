"""A throw-away PostgreSQL server from Debian's postgresql package, on
127.0.0.1 only, in a temporary directory (as the `postgres` user when the
tests run as root: initdb and postgres refuse root)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2


def _bindir() -> str:
    forced = os.environ.get("VECTORPIN_PG_BINDIR")
    candidates = [forced] if forced else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for d in candidates:
        if d and os.path.exists(f"{d}/initdb") and os.path.exists(f"{d}/postgres"):
            return d
    raise RuntimeError("no PostgreSQL server programs (Debian: postgresql; or set VECTORPIN_PG_BINDIR)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        bindir = _bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="vp-py-pg-", dir="/tmp"))
        user = {}
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            user = dict(user=pw.pw_uid, group=pw.pw_gid, extra_groups=[])
        data = self.dir / "data"
        subprocess.run([f"{bindir}/initdb", "-D", str(data), "-U", "vptest", "--auth=trust", "--encoding=UTF8",
                        "--no-locale", "--no-sync"], check=True, capture_output=True, cwd=self.dir, **user)
        self.port = _free_port()
        self.proc = subprocess.Popen([f"{bindir}/postgres", "-D", str(data), "-p", str(self.port), "-k", str(data),
                                      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                                     stdout=subprocess.DEVNULL, stderr=open(self.dir / "server.log", "wb"),
                                     cwd=self.dir, **user)
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = psycopg2.connect(self.dsn("postgres"))
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("the PostgreSQL server did not start")
                time.sleep(0.2)
        conn.autocommit = True
        conn.cursor().execute("CREATE DATABASE vp ENCODING 'UTF8' TEMPLATE template0")
        conn.close()

    def dsn(self, db: str = "vp") -> str:
        return f"postgresql://vptest@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)
        shutil.rmtree(self.dir, ignore_errors=True)
