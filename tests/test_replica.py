"""Where reads go (govem.replica): heavy reads to a streaming replica only when it can answer
them correctly; the real replica is exercised by tests/test_two_nodes.py."""

from __future__ import annotations

from typing import Any

import pytest

from govem import replica
from govem.replica import PRIMARY, REPLICA, ReplicaState, choose

CAUGHT_UP = ReplicaState(True, reachable=True, standby=True, lag_s=0.2, replay_lsn="0/3000060")


def _choose(state: ReplicaState = CAUGHT_UP, **overrides: Any) -> str:
    args = {"heavy": True, "wrote": False, "in_transaction": False, "seen_lsn": ""}
    return choose(state, **(args | overrides))


def test_it_sends_heavy_reads_to_a_caught_up_replica() -> None:
    assert _choose() == REPLICA


def test_it_keeps_ordinary_reads_and_read_your_writes_on_the_primary() -> None:
    assert _choose(heavy=False) == PRIMARY
    assert _choose(wrote=True) == PRIMARY
    assert _choose(in_transaction=True) == PRIMARY


def test_it_falls_back_to_the_primary_above_the_lag_bound(settings: Any) -> None:
    settings.GOVEM_REPLICA_MAX_LAG_S = 5
    late = ReplicaState(True, reachable=True, standby=True, lag_s=5.5, replay_lsn="0/30")
    assert _choose(late) == PRIMARY
    settings.GOVEM_REPLICA_MAX_LAG_S = 6
    assert _choose(late) == REPLICA


def test_it_falls_back_when_the_replica_is_down_or_not_a_standby() -> None:
    assert _choose(ReplicaState(True, error="OperationalError")) == PRIMARY
    assert _choose(ReplicaState(True, reachable=True, standby=False, lag_s=0)) == PRIMARY
    assert _choose(ReplicaState(True, reachable=True, standby=True, lag_s=None)) == PRIMARY
    assert _choose(ReplicaState(False)) == PRIMARY


def test_it_waits_for_the_replica_to_replay_this_users_last_write() -> None:
    assert _choose(seen_lsn="0/3000061") == PRIMARY  # one byte ahead of the replay
    assert _choose(seen_lsn="0/3000060") == REPLICA
    assert _choose(seen_lsn="0/2FFFFFF") == REPLICA
    assert replica.lsn_value("1/0") > replica.lsn_value("0/FFFFFFFF")


@pytest.mark.parametrize("raw", ["", "x", "0/", "1/2/3", "0/3000060; DROP", "G/1"])
def test_it_ignores_a_tampered_lsn_cookie(raw: str) -> None:
    assert replica.valid_lsn(raw) == ""


def test_without_a_replica_every_read_is_the_primarys(settings: Any) -> None:
    assert "replica" not in settings.DATABASES
    router = replica.ReplicaRouter()
    with replica.heavy_reads():
        assert router.db_for_read(object) == PRIMARY
    assert replica.state() == ReplicaState(False)
