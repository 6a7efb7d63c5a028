"""The outbox: messages are queued in the database and sent by the worker.

Claiming is one conditional UPDATE (queued/failed → sending, with a claim token), so two
workers never send the same message. Each result is committed on its own right after the
send, so a worker that dies mid-batch re-sends at most the one message it was sending (that
message stays ``sending`` until the timeout, then it is retried). Failures back off
exponentially (1, 5, 25 … minutes) and become ``dead`` after the maximum attempts.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from govem.notify import channels
from govem.notify.models import Message

logger = logging.getLogger(__name__)
Status = Message.Status


@dataclass(frozen=True)
class SendReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    requeued: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "claimed": self.claimed,
            "sent": self.sent,
            "failed": self.failed,
            "dead": self.dead,
            "requeued": self.requeued,
        }


def enqueue(
    *,
    channel: str,
    address: str,
    subject: str,
    body: str,
    employee: Any = None,
    template_key: str = "",
    dedupe_key: str | None = None,
    url: str = "",
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
) -> Message | None:
    """Queue one message; ``None`` when a message with the same ``dedupe_key`` exists."""
    message = Message(
        channel=channel,
        address=address,
        subject=subject[:200],
        body=body,
        employee=employee,
        template_key=template_key,
        dedupe_key=dedupe_key,
        url=url,
        next_attempt_at=not_before or timezone.now(),
        expires_at=expires_at,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    return message


def enqueue_many(messages: Iterable[Message]) -> int:
    """Queue prepared (unsaved) messages in bulk, skipping dedupe keys already queued."""
    batch = list(messages)
    keys = [m.dedupe_key for m in batch if m.dedupe_key]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known.update(
            Message.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list(  # type: ignore[arg-type]
                "dedupe_key", flat=True
            )
        )
    fresh = [m for m in batch if not m.dedupe_key or m.dedupe_key not in known]
    now = timezone.now()
    for message in fresh:
        message.next_attempt_at = message.next_attempt_at or now
    Message.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    return len(fresh)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failures: 1, 5, 25, 125 … minutes."""
    notify = settings.GOVEM_NOTIFY
    minutes = notify["BACKOFF_MINUTES"] * notify["BACKOFF_FACTOR"] ** max(attempts - 1, 0)
    return timedelta(minutes=minutes)


def _requeue_stuck(now: datetime) -> int:
    """Messages left in ``sending`` by a worker that died: count the attempt, retry now."""
    notify = settings.GOVEM_NOTIFY
    cutoff = now - timedelta(seconds=notify["SENDING_TIMEOUT_S"])
    stuck = Message.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    common = {
        "attempts": F("attempts") + 1,
        "claim_token": "",
        "last_error": "terhenti saat mengirim (pekerja berhenti?)",
    }
    dead = stuck.filter(attempts__gte=notify["MAX_ATTEMPTS"] - 1).update(
        status=Status.DEAD, **common
    )
    retried = stuck.update(status=Status.FAILED, next_attempt_at=now, **common)
    return dead + retried


def _claim(now: datetime, limit: int) -> tuple[str, list[Message]]:
    token = secrets.token_hex(8)
    ids = list(
        Message.objects.filter(status__in=[Status.QUEUED, Status.FAILED], next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return token, []
    with transaction.atomic():
        Message.objects.filter(id__in=ids, status__in=[Status.QUEUED, Status.FAILED]).update(
            status=Status.SENDING, claim_token=token, claimed_at=now
        )
    claimed = Message.objects.filter(claim_token=token, status=Status.SENDING)
    return token, list(claimed.select_related("employee").order_by("next_attempt_at", "id"))


def _finish(message: Message, token: str, **values: Any) -> None:
    """Record the outcome now, in its own transaction; a busy database is waited for, since
    losing this write would send the message again after the timeout."""
    for attempt in range(6):
        try:
            with transaction.atomic():
                Message.objects.filter(pk=message.pk, claim_token=token).update(
                    attempts=F("attempts") + 1, claim_token="", **values
                )
            return
        except OperationalError:
            if attempt == 5 or transaction.get_connection().in_atomic_block:
                raise
            time.sleep(0.05 * 2**attempt)


def send_one(message: Message, token: str) -> str:
    """Send a claimed message and record the outcome at once; returns the new status."""
    now = timezone.now()
    if message.expires_at and message.expires_at <= now:
        _finish(message, token, status=Status.DEAD, last_error="kedaluwarsa sebelum terkirim")
        return Status.DEAD
    try:
        channels.send(message)
    except Exception as exc:
        permanent = isinstance(exc, channels.ChannelError) and exc.permanent
        if not isinstance(exc, channels.ChannelError):
            logger.exception("notify: unexpected error sending message %s", message.pk)
        error = str(exc) if isinstance(exc, channels.ChannelError) else f"{type(exc).__name__}"
        attempts = message.attempts + 1
        if permanent or attempts >= settings.GOVEM_NOTIFY["MAX_ATTEMPTS"]:
            _finish(message, token, status=Status.DEAD, last_error=error[:2000])
            return Status.DEAD
        _finish(
            message,
            token,
            status=Status.FAILED,
            last_error=error[:2000],
            next_attempt_at=timezone.now() + backoff(attempts),
        )
        return Status.FAILED
    _finish(message, token, status=Status.SENT, sent_at=timezone.now(), last_error="")
    return Status.SENT


def _send_all(batch: list[Message], token: str) -> list[str]:
    """Send a claimed batch, ``GOVEM_NOTIFY_CONCURRENCY`` at a time (gateways answer in a few
    hundred milliseconds: 10 000 reminders one by one would take half an hour). Inside a
    transaction (tests, callers holding one) the batch goes one by one on this connection."""
    workers = min(int(settings.GOVEM_NOTIFY["CONCURRENCY"]), len(batch))
    if workers <= 1 or transaction.get_connection().in_atomic_block:
        return [send_one(message, token) for message in batch]
    pending: queue.SimpleQueue[Message] = queue.SimpleQueue()
    for message in batch:
        pending.put(message)
    outcomes: list[str] = []
    lock = threading.Lock()

    def sender() -> None:
        try:
            while True:
                try:
                    message = pending.get_nowait()
                except queue.Empty:
                    return
                status = send_one(message, token)
                with lock:
                    outcomes.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, name=f"outbox-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def send_due(limit: int = 200) -> SendReport:
    """Send what is due now (called by the worker each tick, and by ``govem send-outbox``)."""
    now = timezone.now()
    requeued = _requeue_stuck(now)
    token, batch = _claim(now, limit)
    outcomes = _send_all(batch, token)
    return SendReport(
        claimed=len(batch),
        sent=outcomes.count(Status.SENT),
        failed=outcomes.count(Status.FAILED),
        dead=outcomes.count(Status.DEAD),
        requeued=requeued,
    )


def backlog() -> dict[str, Any]:
    """For health checks: counts by status, the oldest due message, dead in the last day."""
    now = timezone.now()
    counts = dict(
        Message.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    oldest = Message.objects.filter(
        status__in=[Status.QUEUED, Status.FAILED], next_attempt_at__lte=now
    ).aggregate(at=Min("next_attempt_at"))["at"]
    return {
        "counts": {status: counts.get(status, 0) for status in Status.values},
        "oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "dead_last_24h": Message.objects.filter(
            status=Status.DEAD, created_at__gte=now - timedelta(days=1)
        ).count(),
        "channels": channels.configured_channels(),
    }
