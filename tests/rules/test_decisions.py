"""The decisions moved out of the services (issue 15): status codes, clarification gaps,
leave spans and refusals, the label tables. Pure: no database."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from govem.rules import clarification, codes, labels, leave


def test_absence_code_skips_presence_codes_and_finds_the_reason() -> None:
    assert codes.absence_code(["TL2", "PSW1", "S"]) == "S"
    assert codes.absence_code(["H"]) == ""
    assert codes.absence_code(["TK", "CB"]) == "CB"
    assert "LIBUR" in codes.DAY_OFF_CODES and "TK" in codes.PRESENCE_CODES


def test_late_early_absent_read_the_bands() -> None:
    assert codes.is_late(["TL4"]) and not codes.is_late(["PSW1", "H"])
    assert codes.is_early(["PSW3"]) and not codes.is_early(["TL1"])
    assert codes.is_absent(["TK"]) and not codes.is_absent(["S"])


@dataclass
class Day:
    workday: bool = True
    counted: bool = True
    status: str = ""
    codes: list[str] | None = None
    first_in: datetime | None = None
    last_out: datetime | None = None
    expected_end: datetime | None = None


END = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_settled_gap_names_tk_missing_check_in_and_check_out() -> None:
    assert clarification.settled_gap(Day(status="TK")) is clarification.GapKind.TK
    assert clarification.settled_gap(Day(last_out=END)) is clarification.GapKind.NO_CHECK_IN
    assert clarification.settled_gap(Day(first_in=END)) is clarification.GapKind.NO_CHECK_OUT
    assert clarification.settled_gap(Day(first_in=END, last_out=END)) is None
    assert clarification.settled_gap(Day(status="TK", counted=False)) is None
    assert clarification.settled_gap(Day(status="TK", workday=False)) is None


def test_known_gap_waits_for_the_end_of_work_and_the_checkout_grace() -> None:
    open_day = Day(expected_end=END)
    assert clarification.known_gap(open_day, END - timedelta(seconds=1)) is None
    assert clarification.known_gap(open_day, END) is clarification.GapKind.NO_CHECK_IN
    assert clarification.known_gap(Day(expected_end=END, codes=["S"]), END) is None
    checked_in = Day(expected_end=END, first_in=END - timedelta(hours=8))
    grace = clarification.CHECKOUT_GRACE
    assert clarification.known_gap(checked_in, END + grace - timedelta(seconds=1)) is None
    assert clarification.known_gap(checked_in, END + grace) is clarification.GapKind.NO_CHECK_OUT
    assert clarification.known_gap(Day(), END) is None


def test_resolved_notes_and_operator_outcomes() -> None:
    assert clarification.resolved_note(Day(status="S")) == (
        "Hari ini tercatat S; kasus ditutup otomatis."
    )
    assert clarification.resolved_note(Day(status="H", first_in=END)) == (
        "Presensi tercatat kemudian; kasus ditutup otomatis."
    )
    assert clarification.checkout_note("16:05") == (
        "Presensi pulang 16:05 tercatat; kasus ditutup otomatis."
    )
    assert clarification.outcome_refusal("forgot") is None
    refusal = clarification.outcome_refusal("resolved")
    assert refusal is not None and (refusal.code, refusal.field) == ("invalid_input", "outcome")
    assert clarification.OUTCOME_TYPES[clarification.Outcome.SICK] == "S"


def test_year_parts_and_used_spans_cut_at_year_ends() -> None:
    assert leave.year_parts(date(2026, 12, 30), date(2027, 1, 2)) == [
        (2026, date(2026, 12, 30), date(2026, 12, 31)),
        (2027, date(2027, 1, 1), date(2027, 1, 2)),
    ]
    spans = [(date(2025, 12, 29), date(2026, 1, 3))]
    assert leave.days_used(spans, 2026) == [(date(2026, 1, 1), date(2026, 1, 3))]
    assert leave.count_workdays([True, False, True]) == 2


def _balance(**kwargs: object) -> leave.LeaveBalance:
    base = dict(year=2026, tmt=date(2015, 1, 1), used=0, used_previous=12, used_two_before=12)
    base.update(kwargs)
    return leave.annual_leave(**base)  # type: ignore[arg-type]


def test_request_refusal_codes() -> None:
    balance = _balance(used=10)
    assert leave.request_refusal(balance, year=2026, first=date(2026, 3, 2), wanted=2) is None
    too_many = leave.request_refusal(balance, year=2026, first=date(2026, 3, 2), wanted=3)
    assert too_many is not None and too_many.code == "insufficient_leave_balance"
    assert too_many.details == {"year": 2026, "remaining": 2, "requested": 3}
    new = _balance(tmt=date(2025, 6, 1))
    early = leave.request_refusal(new, year=2026, first=date(2026, 5, 4), wanted=1)
    assert early is not None and early.code == "leave_not_yet_entitled"
    assert early.details["available_from"] == "2026-06-01"


def test_one_label_table_per_vocabulary_with_two_phrasings() -> None:
    assert labels.verdict("flagged") == "Ditandai"
    assert labels.flag("borderline_location") == "di tepi radius"
    assert labels.flag("borderline_location", employee=True) == "di tepi radius, akan ditinjau"
    assert labels.reason("device_not_allowed") == "perangkat lain (ikatan belum dilepas)"
    assert labels.reason("device_not_allowed", employee=True) == "perangkat tidak diizinkan"
    assert labels.reason(None) == labels.UNKNOWN_REASON
    assert labels.reason("something_new") == "something_new"
