"""A throwaway PostgreSQL primary and a streaming replica of it, in a temporary directory.

``pg_basebackup -R`` clones the primary into the replica's data dir and writes its
``primary_conninfo``; the replica runs as a hot standby on its own port. Used by the two-node
test and ``benchmarks/morning_rush.py --nodes 2``. As root the servers run as the ``postgres``
user (initdb refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.ports import POSTGRES, free_port

__all__ = ["Cluster", "free_port", "pg_bin", "primary_and_replica"]


def pg_bin() -> Path | None:
    """The newest PostgreSQL server binaries (Debian: /usr/lib/postgresql/<v>/bin)."""
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*/bin") if (p / "postgres").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    found = shutil.which("postgres")
    return Path(found).parent if found else None


@dataclass
class Cluster:
    root: Path  # the primary's data dir is root / "primary" (postmaster.pid there)
    primary_port: int
    replica_port: int
    database: str

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


def _run(args: list[str]) -> str:
    done = subprocess.run(_as_postgres(args), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def primary_and_replica(
    database: str = "govem", *, replica: bool = True, extra_conf: str = ""
) -> Iterator[Cluster]:
    """The cluster; ``replica=False`` starts only the primary (the capacity benchmark)."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="govem-pg-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    primary, standby = root / "primary", root / "replica"
    cluster = Cluster(root, free_port(POSTGRES), free_port(POSTGRES), database)
    started: list[Path] = []
    try:
        _run([str(binaries / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
              "--no-sync", "-E", "UTF8"])  # fmt: skip
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {cluster.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{root}'\nwal_level = replica\n"
                "max_wal_senders = 5\nhot_standby = on\nshared_buffers = 64MB\n"
                "max_connections = 100\nfsync = on\nsynchronous_commit = on\n" + extra_conf
            )
        _run([str(binaries / "pg_ctl"), "-D", str(primary), "-l", str(root / "primary.log"),
              "-w", "start"])  # fmt: skip
        started.append(primary)
        _run([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.primary_port),
              "-U", "postgres", database])  # fmt: skip
        if replica:
            _run([str(binaries / "pg_basebackup"), "-h", "127.0.0.1", "-p",
                  str(cluster.primary_port), "-U", "postgres", "-D", str(standby), "-R",
                  "-X", "stream", "--checkpoint=fast"])  # fmt: skip
            with (standby / "postgresql.auto.conf").open("a") as conf:
                conf.write(f"port = {cluster.replica_port}\n")
            _run([str(binaries / "pg_ctl"), "-D", str(standby), "-l",
                  str(root / "replica.log"), "-w", "start"])  # fmt: skip
            started.append(standby)
            _wait_streaming(cluster, binaries)
        yield cluster
    finally:
        for data in reversed(started):
            subprocess.run(
                _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


def _wait_streaming(cluster: Cluster, binaries: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    query = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
    while time.monotonic() < deadline:
        out = _run([str(binaries / "psql"), "-h", "127.0.0.1", "-p", str(cluster.primary_port),
                    "-U", "postgres", "-d", cluster.database, "-Atc", query])  # fmt: skip
        if out.strip() == "1":
            return
        time.sleep(0.2)
    raise RuntimeError("the replica did not start streaming")
