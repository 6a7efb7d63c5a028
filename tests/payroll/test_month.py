"""The month's TPP from the ledger: a hand-computed month, sentences, pagu precedence,
missing productivity, and where people see it (Rekap, API)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from govem.attendance.models import RuleSet
from govem.payroll.models import Pagu, Sentence
from govem.payroll.tpp import tpp_for
from tests.conftest import ApiClient
from tests.helpers.days import NOVEMBER, TK_DAY, TL2_DAYS, lay_month, pagu
from tests.helpers.regency import logged_in


def test_it_computes_the_hand_month(hand_month: Any) -> None:
    row = tpp_for(hand_month.employee, NOVEMBER)
    result = row.result
    assert row.pagu_source == "Kelas jabatan 9"
    assert result.attendance_share == 2_000_000
    assert [(line.code, line.days, line.rupiah) for line in result.lines] == [
        ("TL2", TL2_DAYS, 40_000),  # 2 × 1 % of 2,000,000
        ("TK", (TK_DAY,), 60_000),  # 3 % of 2,000,000
    ]
    assert result.productivity_paid == 2_400_000  # 80 % of 3,000,000
    assert result.before_cuts == 4_300_000
    assert result.cut_lines[0].rupiah == 1_075_000  # 25 % of 4,300,000
    assert result.net == 3_225_000
    assert row.problems == []


def test_it_applies_a_sentence_only_in_its_months(hand_month: Any) -> None:
    sentence = Sentence.objects.get()
    assert [sentence.covers(date(2026, m, 1)) for m in (9, 10, 11, 12)] == [
        False,
        True,
        True,
        True,
    ]
    assert sentence.covers(date(2027, 3, 1)) and not sentence.covers(date(2027, 4, 1))
    Sentence.objects.update(starts=date(2026, 12, 1))
    assert tpp_for(hand_month.employee, NOVEMBER).result.net == 4_300_000


def test_it_takes_the_shares_from_the_rule_table(hand_month: Any) -> None:
    RuleSet.objects.update(tpp_attendance_pct=Decimal("50"), tpp_productivity_pct=Decimal("50"))
    result = tpp_for(hand_month.employee, NOVEMBER).result
    # 2,500,000 − 5 % (125,000) + 80 % of 2,500,000 (2,000,000) = 4,375,000; − 25 %.
    assert result.attendance_deduction == 125_000
    assert result.net == 4_375_000 - 1_093_750


def test_it_picks_the_most_specific_pagu_in_force(regency: Any, december: Any) -> None:
    employee = regency.employee  # position "Pranata Komputer"
    employee.job_class = 7
    employee.save()
    pagu(Pagu.Basis.CLASS, "7", 3_000_000)
    assert tpp_for(employee, NOVEMBER).pagu == 3_000_000
    pagu(Pagu.Basis.POSITION, "pranata komputer", 3_500_000)
    assert tpp_for(employee, NOVEMBER).pagu == 3_500_000
    pagu(Pagu.Basis.EMPLOYEE, employee.nip, 4_000_000)
    assert tpp_for(employee, NOVEMBER).pagu == 4_000_000
    pagu(Pagu.Basis.EMPLOYEE, employee.nip, 9_000_000, valid_from=date(2026, 12, 1))
    assert tpp_for(employee, NOVEMBER).pagu == 4_000_000
    assert tpp_for(employee, date(2026, 12, 1)).pagu == 9_000_000


def test_it_says_what_is_missing(regency: Any, december: Any) -> None:
    colleague = regency.colleague
    row = tpp_for(colleague, NOVEMBER)
    assert row.result is None
    assert any("Pagu TPP belum ada" in text for text in row.problems)
    pagu(Pagu.Basis.EMPLOYEE, colleague.nip, 4_000_000)
    lay_month(colleague)
    row = tpp_for(colleague, NOVEMBER)
    assert row.result.productivity_missing
    assert row.result.net == 1_600_000  # the discipline share only
    assert any("Produktivitas bulan ini belum diimpor" in text for text in row.problems)


def test_it_shows_the_estimate_on_the_own_rekap(hand_month: Any) -> None:
    page = logged_in(hand_month.employee.user).get("/rekap/", {"bulan": "2026-11"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Perkiraan TPP November 2026" in text
    assert 'data-net="3225000"' in text and "Rp 3.225.000" in text
    assert "tiga juta dua ratus dua puluh lima ribu rupiah" in text
    assert "2 kali (tanggal 3, 10)" in text and "Rp 40.000" in text
    assert "Rp 1.075.000" in text
    assert "SK 800/12/BKPSDM/2026" in text


@pytest.mark.parametrize(
    ("role", "status"), [("atasan", 200), ("operator", 200), ("outsider", 404)]
)
def test_it_shows_the_sentence_to_supervisor_and_operator(
    hand_month: Any, role: str, status: int
) -> None:
    client = logged_in(hand_month.user(role))
    page = client.get(f"/rekap/{hand_month.employee.pk}/", {"bulan": "2026-11"})
    assert page.status_code == status
    if status == 200:
        assert "Pemotongan TPP 25% selama 6 bulan" in page.content.decode()
        assert "Rp 3.225.000" in page.content.decode()


def test_it_answers_the_own_tpp_in_the_api(hand_month: Any, client: Any) -> None:
    phone = ApiClient(client)
    assert phone.login(hand_month.employee.nip).status_code == 200
    body = phone.get("/api/v1/tpp", month="2026-11").json()
    row = body["rows"][0]
    assert body["unit"] is None and body["employees"] == 1
    assert row["net"] == 3_225_000 and row["gross"] == 5_000_000
    assert row["deductions"][0] == {
        "code": "TL2",
        "days": ["2026-11-03", "2026-11-10"],
        "pct": "2",
        "rupiah": 40_000,
    }
    assert row["sentences"][0]["rupiah"] == 1_075_000
    assert row["net_words"] == "tiga juta dua ratus dua puluh lima ribu rupiah"
    assert row["lines"][0]["words"].startswith("2 kali (tanggal 3, 10)")


def api(user: Any) -> Any:
    from govem.accounts.services import issue_token

    raw, _ = issue_token(user=user, device=None)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client


def test_it_scopes_the_unit_tpp_in_the_api(hand_month: Any) -> None:
    operator = api(hand_month.operator)
    body = operator.get("/api/v1/tpp", {"month": "2026-11", "unit": "DISKOMINFO"}).json()
    names = {row["name"] for row in body["rows"]}
    assert "Rahmat Hidayat" in names and "Dewi Lestari" not in names
    assert body["total_net"] == 3_225_000  # the only one with a pagu
    other = operator.get("/api/v1/tpp", {"month": "2026-11", "unit": "DINKES"})
    assert other.status_code == 404
    employee = api(hand_month.employee.user)
    refused = employee.get("/api/v1/tpp", {"month": "2026-11", "unit": "DISKOMINFO"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    bad = employee.get("/api/v1/tpp", {"month": "2026-13"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    staff = api(hand_month.tim_it).get("/api/v1/tpp", {"month": "2026-11"})
    assert staff.status_code == 403 and staff.json()["error"]["code"] == "not_an_employee"


def test_it_links_a_crossed_level_to_recording_a_sentence(regency: Any, december: Any) -> None:
    lay_month(regency.employee, absent=[date(2026, 11, d) for d in (2, 3, 4)])
    tim_it = logged_in(regency.tim_it).get("/rekap/", {"bulan": "2026-11", "unit": regency.unit.pk})
    text = tim_it.content.decode()
    link = f"/tpp/hukuman/?pegawai={regency.employee.pk}&amp;jenis=teguran_lisan"
    assert link in text
    operator = logged_in(regency.operator).get("/rekap/", {"bulan": "2026-11"})
    assert link not in operator.content.decode()
    assert "BKPSDM mencatat hukuman" in operator.content.decode()
    assert Group.objects.filter(name="BKPSDM").exists()


def test_it_takes_the_shares_from_the_units_own_rule_row(hand_month: Any) -> None:
    values = RuleSet.objects.filter(code="BAWAAN").values().get()
    values.update(
        id=None, code="UNIT-50", name="Unit 50/50", unit_id=hand_month.unit.pk,
        tpp_attendance_pct=Decimal("50"), tpp_productivity_pct=Decimal("50"),
    )  # fmt: skip
    RuleSet.objects.create(**values)
    assert tpp_for(hand_month.employee, NOVEMBER).result.attendance_share == 2_500_000
    assert tpp_for(hand_month.other_employee, NOVEMBER).shares.attendance_pct == Decimal("40")
