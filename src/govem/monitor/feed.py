"""The change feed of DESIGN §3: what happened since a cursor, from the database only.

The cursor is ``"<punch id>:<day-record change time in ms>"``. Punch ids only grow, so new
punches are one indexed range query. Because ids are handed out before commit, a punch with
a smaller id can become visible after a larger one (concurrent transactions on PostgreSQL):
each poll also looks back over the last few seconds, and the page drops ids it already has.
(SQLite takes the write lock when a transaction begins, so there ids commit in order.)
No process keeps state another process needs, so any number of servers can answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govem.accounts.scoping import employee_q
from govem.attendance.models import DayRecord, Punch
from govem.errors import DomainError
from govem.monitor import queries, texts
from govem.people.models import Unit
from govem.replica import heavy_reads

PAGE = 100
INITIAL = 50
TILE_BUCKET_S = 2
PAGE_BUCKET_S = 1
PAGES_KEPT = 128
LOOKBACK_IDS = 500
LOOKBACK = timedelta(seconds=5)


@dataclass(frozen=True)
class Cursor:
    punch_id: int
    changed_ms: int

    def __str__(self) -> str:
        return f"{self.punch_id}:{self.changed_ms}"


def parse_cursor(raw: str | None) -> Cursor | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        punch_part, _colon, changed_part = raw.strip().partition(":")
        cursor = Cursor(int(punch_part), int(changed_part or 0))
    except ValueError as exc:
        raise DomainError(
            "invalid_input", _("Kursor tidak valid."), details={"field": "after"}
        ) from exc
    if cursor.punch_id < 0 or cursor.changed_ms < 0:
        raise DomainError("invalid_input", _("Kursor tidak valid."), details={"field": "after"})
    return cursor


def punch_row(punch: Punch, day_prefix: str = "") -> dict[str, Any]:
    zone = ZoneInfo(punch.time_zone)
    local = punch.server_time.astimezone(zone)
    employee = punch.employee
    return {
        "id": punch.pk,
        "employee": {"id": employee.pk, "name": employee.name, "unit": employee.unit.name},
        "kind": punch.kind,
        "kind_label": str(Punch.Kind(punch.kind).label),
        "verdict": punch.verdict,
        "verdict_label": str(Punch.Verdict(punch.verdict).label),
        "source": punch.source,
        "time": local.strftime("%H:%M:%S"),
        "server_time": local.isoformat(),
        "location": punch.location.name if punch.location_id else None,  # type: ignore[union-attr]
        "distance_m": round(punch.distance_m) if punch.distance_m is not None else None,
        "accuracy_m": punch.accuracy_m,
        "latitude": punch.latitude,
        "longitude": punch.longitude,
        "flags": texts.flag_labels(punch.flags),
        "reason_code": punch.reason_code or None,
        "text": texts.punch_summary(punch),
        "day_url": f"{day_prefix or _day_prefix()}/{employee.pk}/{punch.local_date}/",
    }


def _day_prefix() -> str:
    return reverse("monitor:employee-day", args=[0, "x"]).rsplit("/0/", 1)[0]


def _scoped_punches(user: Any, day: date, unit: Unit | None) -> Any:
    punches = Punch.objects.filter(employee_q(user, prefix="employee__"), local_date=day)
    if unit is not None:
        punches = punches.filter(employee__unit__path__startswith=unit.path)
    return punches.select_related("employee", "employee__unit", "location")


def _scope_key(user: Any) -> str:
    return queries.scope_key(user)


def cached_tiles(user: Any, day: date, unit: Unit | None) -> dict[str, int]:
    """Tile counts, recomputed at most every ``TILE_BUCKET_S`` seconds per process and scope.

    One request recomputes while the others keep answering with the previous counts (no
    stampede when a bucket ends). The cache holds nothing other processes need: a miss
    recomputes from the database — the streaming replica when there is one that is within
    its lag bound (the tiles are a heavy read; the feed's punches stay on the primary).
    """
    bucket = int(time.time() / TILE_BUCKET_S)
    key = f"monitor-tiles:{_scope_key(user)}:{day}:{unit.pk if unit else ''}"
    entry = cache.get(key)
    if entry is not None and entry[0] == bucket:
        return dict(entry[1])
    if entry is None or cache.add(f"{key}:busy", 1, timeout=30):
        try:
            with heavy_reads():
                counts = queries.tiles(queries.employee_days(user, day, unit))
            cache.set(key, (bucket, counts), 300)
        finally:
            cache.delete(f"{key}:busy")
        return counts
    return dict(entry[1])


def _changed_days(user: Any, day: date, unit: Unit | None, since_ms: int) -> tuple[list, int]:
    records = DayRecord.objects.filter(employee_q(user, prefix="employee__"), date=day)
    if unit is not None:
        records = records.filter(employee__unit__path__startswith=unit.path)
    newest = records.aggregate(newest=Max("updated_at"))["newest"]
    if since_ms:
        since = datetime.fromtimestamp(since_ms / 1000, tz=UTC) - LOOKBACK
        records = records.filter(updated_at__gte=since)
    rows = [
        {"employee_id": employee_id, "codes": list(codes or [])}
        for employee_id, codes in records.values_list("employee_id", "codes")[:PAGE]
    ]
    newest_ms = int(newest.timestamp() * 1000) if newest else since_ms
    return rows, max(newest_ms, since_ms)


def feed(user: Any, *, day: date, unit: Unit | None, after: Cursor | None) -> dict[str, Any]:
    # The newest id of the day shown: on PostgreSQL one month's partition, not every month's.
    top = Punch.objects.filter(local_date=day).aggregate(top=Max("id"))["top"] or 0
    punches = _scoped_punches(user, day, unit)
    if after is None:
        rows = list(punches.order_by("-id")[:INITIAL])[::-1]
        truncated = False
        next_id = top
        days: list[dict[str, Any]] = []
        _changed, changed_ms = _changed_days(user, day, unit, 0)
    else:
        window = Q(id__gt=after.punch_id)
        if connection.vendor != "sqlite":
            # SQLite's IMMEDIATE transactions commit in id order; other databases may not.
            window |= Q(
                id__gt=max(0, after.punch_id - LOOKBACK_IDS),
                server_time__gte=timezone.now() - LOOKBACK,
            )
        # A live view shows the newest punches; at the morning peak older ones in the same
        # poll are skipped (``truncated``) — the tiles still count every one of them.
        rows = list(punches.filter(window).order_by("-id")[:PAGE])[::-1]
        truncated = len(rows) == PAGE
        next_id = max(after.punch_id, top)
        days, changed_ms = _changed_days(user, day, unit, after.changed_ms)
    prefix = _day_prefix()
    return {
        "cursor": str(Cursor(next_id, changed_ms)),
        "punches": [punch_row(punch, prefix) for punch in rows],
        "truncated": truncated,
        "days": days,
        "tiles": cached_tiles(user, day, unit),
        "server_time": timezone.localtime().isoformat(),
    }


_pages: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_pages_lock = threading.Lock()
_building: dict[tuple[Any, ...], threading.Lock] = {}


def feed_json(user: Any, *, day: date, unit: Unit | None, after: Cursor | None) -> bytes:
    """:func:`feed` as JSON, built at most once per second per process for each cursor,
    scope and language — the answer every dashboard polling with that cursor then gets.

    A hundred dashboards polling every 2 s hold a handful of distinct cursors at any moment
    (each cursor is the ``cursor`` of a page handed out before, so dashboards that polled in
    the same second carry the same one): the punches, day records and rows are read and
    serialised once per second and cursor instead of once per poll. A page is at most
    ``PAGE_BUCKET_S`` old; nothing is lost, the next poll's cursor continues where the page
    ended. One thread builds a page while the others polling for it wait (no stampede).
    """
    bucket = int(time.time() / PAGE_BUCKET_S)
    key = (
        _scope_key(user),
        translation.get_language(),
        day,
        unit.pk if unit else None,
        str(after) if after else "",
        bucket,
    )
    with _pages_lock:
        found = _pages.get(key)
        if found is not None:
            return found
        building = _building.setdefault(key, threading.Lock())
    with building:
        with _pages_lock:
            found = _pages.get(key)
        if found is not None:
            return found
        page = json.dumps(
            feed(user, day=day, unit=unit, after=after), cls=DjangoJSONEncoder
        ).encode()
        with _pages_lock:
            _pages[key] = page
            while len(_pages) > PAGES_KEPT:
                _pages.popitem(last=False)
            _building.pop(key, None)
    return page


def forget() -> None:
    """Drop the pages built so far (tests: a rolled-back database reuses punch ids)."""
    with _pages_lock:
        _pages.clear()
    queries.forget()
