"""Heavy reads from a streaming replica (``DATABASE_REPLICA_URL``), everything else primary.

Reports, the recap, monthly sheets, the evaluation, innovation figures and the monitor's tiles
read a lot and write nothing; on a national deployment they should not compete with the
morning's check-ins. They run inside :func:`heavy_reads` (or a view decorated with
:func:`replica_reads`), and :class:`ReplicaRouter` then sends their reads to the replica when

- a replica is configured and answers, and is a standby;
- its lag is within ``GOVEM_REPLICA_MAX_LAG_SECONDS`` (default 10) — else the primary;
- this request has not written anything yet (no write in this context, no open transaction on
  the primary); and
- the replica has replayed the primary's WAL up to this browser's last write (the
  ``govem_lsn`` cookie set after a request that wrote): a user sees their own changes.

Everything else — every write, the punch, the feed, pages that must read their own write —
reads and writes the primary. Without ``DATABASE_REPLICA_URL`` nothing changes.

Other apps use it like this::

    from govem.replica import heavy_reads, replica_reads

    @replica_reads           # a view or a ninja handler: the whole call
    def tpp_report(request): ...

    with heavy_reads():      # a block (a worker step that builds a large report)
        rows = build_rows()

The lag is measured at most every ``STATE_TTL_S`` seconds per process (one small query on
the replica) and shown on ``/operasi/`` and in the health check.
"""

from __future__ import annotations

import contextvars
import functools
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
PRIMARY = "default"
STATE_TTL_S = 1.0
LSN_COOKIE = "govem_lsn"
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")

_heavy: contextvars.ContextVar[bool] = contextvars.ContextVar("govem_heavy", default=False)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("govem_wrote", default=False)
_seen_lsn: contextvars.ContextVar[str] = contextvars.ContextVar("govem_seen_lsn", default="")
# Which database each heavy read went to, for the tests and the health page ("replica"/"default").
_last_choice: contextvars.ContextVar[str] = contextvars.ContextVar("govem_choice", default="")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ReplicaState:
    configured: bool
    reachable: bool = False
    standby: bool = False
    lag_s: float | None = None
    replay_lsn: str = ""
    error: str = ""
    measured_at: float = 0.0

    @property
    def usable(self) -> bool:
        return (
            self.configured
            and self.reachable
            and self.standby
            and self.lag_s is not None
            and self.lag_s <= max_lag_s()
        )


def configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag_s() -> float:
    return float(getattr(settings, "GOVEM_REPLICA_MAX_LAG_S", 10.0))


_lock = threading.Lock()
_cached: ReplicaState | None = None


def _measure() -> ReplicaState:
    now = time.monotonic()
    try:
        with connections[REPLICA].cursor() as cursor:
            # Caught up (received = replayed) means no lag even when the primary is idle and
            # the last replayed transaction is old.
            cursor.execute(
                "SELECT pg_is_in_recovery(), "
                "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END, "
                "pg_last_wal_replay_lsn()::text"
            )
            standby, lag, lsn = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        return ReplicaState(True, error=type(exc).__name__, measured_at=now)
    return ReplicaState(
        True,
        reachable=True,
        standby=bool(standby),
        lag_s=None if lag is None else float(lag),
        replay_lsn=lsn or "",
        measured_at=now,
    )


def state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state, measured at most once per ``STATE_TTL_S`` in this process."""
    global _cached
    if not configured():
        return ReplicaState(False)
    with _lock:
        cached = _cached
        if fresh or cached is None or time.monotonic() - cached.measured_at > STATE_TTL_S:
            cached = _cached = _measure()
    return cached


def forget() -> None:
    global _cached
    with _lock:
        _cached = None


def lsn_value(lsn: str) -> int:
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def valid_lsn(raw: str) -> str:
    return raw if raw and _LSN.match(raw.upper()) else ""


def choose(
    replica: ReplicaState, *, heavy: bool, wrote: bool, in_transaction: bool, seen_lsn: str
) -> str:
    """Where a read goes: the replica only for a heavy read that it can answer correctly."""
    if not heavy or wrote or in_transaction or not replica.usable:
        return PRIMARY
    behind = bool(seen_lsn and replica.replay_lsn) and lsn_value(replica.replay_lsn) < lsn_value(
        seen_lsn.upper()
    )
    return PRIMARY if behind else REPLICA  # behind: not yet replayed this user's last write


class ReplicaRouter:
    """``DATABASE_ROUTERS``: heavy reads to the replica when safe, all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        heavy = _heavy.get()
        if not heavy or not configured():
            return PRIMARY
        choice = choose(
            state(),
            heavy=True,
            wrote=_wrote.get(),
            in_transaction=connections[PRIMARY].in_atomic_block,
            seen_lsn=_seen_lsn.get(),
        )
        _last_choice.set(choice)
        return choice

    def db_for_write(self, model: Any, **hints: Any) -> str:
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


@contextmanager
def heavy_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (see the module's rules).

    A write committed before the block (a worker step that wrote, then reports) becomes a
    position in the WAL: the replica serves the block only once it has replayed that far.
    """
    if _heavy.get():
        yield
        return
    wrote = seen = None
    if configured() and _wrote.get() and not connections[PRIMARY].in_atomic_block:
        lsn = _primary_lsn()
        if lsn:
            wrote, seen = _wrote.set(False), _seen_lsn.set(_later(lsn, _seen_lsn.get()))
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)
        if seen is not None and wrote is not None:
            _seen_lsn.reset(seen)
            _wrote.reset(wrote)


def _later(a: str, b: str) -> str:
    if not b:
        return a
    return a if lsn_value(a) >= lsn_value(b) else b


def replica_reads(view: F) -> F:
    """A view or API handler whose reads may go to the replica."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with heavy_reads():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def last_choice() -> str:
    return _last_choice.get()


class ReadYourWritesMiddleware:
    """Per request: forget earlier writes, read the browser's last-write LSN, and after a
    request that wrote hand out the primary's current LSN (only with a replica)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not configured():
            return self.get_response(request)
        wrote = _wrote.set(False)
        seen = _seen_lsn.set(valid_lsn(request.COOKIES.get(LSN_COOKIE, "")))
        choice = _last_choice.set("")
        try:
            response = self.get_response(request)
            if _last_choice.get():
                # Which database answered this request's heavy reads (operators and tests).
                response["X-Govem-Read-From"] = _last_choice.get()
            if _wrote.get():
                lsn = _primary_lsn()
                if lsn:
                    response.set_cookie(
                        LSN_COOKIE,
                        lsn,
                        max_age=max(int(max_lag_s() * 6), 60),
                        httponly=True,
                        samesite="Lax",
                        secure=request.is_secure(),
                    )
            return response
        finally:
            _wrote.reset(wrote)
            _seen_lsn.reset(seen)
            _last_choice.reset(choice)


def _primary_lsn() -> str:
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return str(cursor.fetchone()[0])
    except DatabaseError:
        return ""
