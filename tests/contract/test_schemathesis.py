"""The API contract, machine-checked: schemathesis against a live `govem serve` (issue 15).

Every operation of the OpenAPI document, ``--checks all``, a bounded number of examples per
operation (``GOVEM_FUZZ_EXAMPLES``, default 10) and a fixed seed, once with an employee's
token and once with a Tim IT token; 0 failures. The login is fuzzed too: its wrong guesses
lock the fuzzing address out (429 is declared), so the lockout is reset between phases and a
real login must still succeed at the end. ``DELETE /auth/token`` revokes the token it is
called with: it runs last, with a token of its own.

The server's database is seeded first (tests/contract/seed.py, through the project's own
services): events with check-ins awaiting review, pending requests, open clarification cases,
a ticket, closed days and a TPP pagu. schemathesis dictionaries bound to the parameters that
take ids, dates, months, units and positions make most fuzzed values hit those objects, so the
success paths are fuzzed too; tests/contract/hooks.py records every status, and each role must
reach a 2xx on the operations the seed opens for it (``REACHED``).

SQLite by default; with ``GOVEM_LIVE_DATABASE_URL`` the server runs on that (empty)
PostgreSQL database — ``.ci/run`` does both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.live_servers import GOVEM, environment, prepare, servers, shell_json

pytestmark = [pytest.mark.server, pytest.mark.contract]

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
REVOKE = "DELETE /api/v1/auth/token"
# The success paths the seeded data opens, per role: each reached at least once (a 2xx). The
# punch and the event check-in also need the live server's day to be the seeded one.
REACHED = {
    "employee": {
        "POST /api/v1/clarifications/{case_id}/answer",
        "POST /api/v1/requests",
        "POST /api/v1/tickets",
        "GET /api/v1/events",
        "GET /api/v1/tpp",
    },
    "tim_it": {
        "POST /api/v1/requests/{request_id}/decision",
        "POST /api/v1/clarifications/{case_id}/contacts",
        "POST /api/v1/clarifications/{case_id}/outcome",
        "GET /api/v1/events/{event_id}/attendance",
        "GET /api/v1/events/reviews",
        "POST /api/v1/events/{event_id}/checkins/{checkin_id}/review",
        "GET /api/v1/reports/daily",
        "GET /api/v1/reports/monthly",
        "POST /api/v1/reports/daily/verify",
        "GET /api/v1/tpp",
    },
}

SEED = Path(__file__).with_name("seed.py")
HOOKS = Path(__file__).with_name("hooks.py")
# Share of the fuzzing phase's values drawn from the seeded ids and values instead of the
# schema (the coverage phase still sends its boundary values: 0, 1, the largest id, ...).
PROBABILITY = 0.8


def _seed(data_dir: Path) -> dict[str, Any]:
    """The seeded objects (tests/contract/seed.py, run by the server's own `govem shell`)."""
    code = f"import runpy; runpy.run_path({str(SEED)!r}, run_name='__main__')"
    return shell_json(data_dir, code, "GOVEM-SEED")


def _config(seeded: dict[str, Any], role: str, path: Path) -> Path:
    """schemathesis.toml plus, for this role, dictionaries of the seeded ids bound to the
    parameters that take them: most fuzzed values hit a real object."""
    ids = seeded["ids"]
    today = date.fromisoformat(seeded["today"])
    ahead = [(today + timedelta(days=offset)).isoformat() for offset in (40, 41, 45)]
    lat, lon = seeded["office"]
    values: dict[str, list[Any]] = {
        "path.request_id": ids["request"],
        "path.case_id": ids["own_case"] + (ids["other_case"] if role == "tim_it" else []),
        "path.event_id": ids["event"],
        "path.checkin_id": ids["checkin"],
        "query.event": ids["event"],
        "query.unit": ids["unit_id"] + ids["unit_code"],
        "query.date": [*ids["past_day"], seeded["today"]],
        "query.from": ids["past_day"],
        "query.to": [*ids["past_day"], seeded["today"]],
        "query.month": ids["month"],
        "body.date": ids["past_day"],
        "body.latitude": [lat],
        "body.longitude": [lon],
        "body.accuracy_m": [8.5, 30.0],
        "body.type": ["S", "I", "CT", "DL"],
        "body.start_date": ahead,
        "body.end_date": ahead,
    }
    lines = [CONFIG.read_text(), ""]
    for index, (_key, entries) in enumerate(values.items()):
        lines += [f"[dictionaries.seeded{index}]", f"values = {json.dumps(entries)}", ""]
    lines.append("[parameters]")
    lines += [
        f'"{key}" = {{ dictionary = "seeded{index}", probability = {PROBABILITY} }}'
        for index, key in enumerate(values)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _reset_lockout(data_dir: Path) -> None:
    subprocess.run(
        [GOVEM, "axes_reset"], env=environment(data_dir), check=True, capture_output=True
    )


def _run(
    base: str, token: str, report: Path, *, config: Path = CONFIG, only: str | None = None
) -> dict[str, Any]:
    """One schemathesis run; (operations, cases, failures, errors) from its JUnit report, and
    the statuses each operation answered (tests/contract/hooks.py)."""
    statuses = report.with_suffix(".statuses")
    command = [
        SCHEMATHESIS,
        "--config-file",
        str(config),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        os.environ.get("GOVEM_FUZZ_EXAMPLES", "10"),
        "--seed",
        os.environ.get("GOVEM_FUZZ_SEED", "15"),
        "--workers",
        "1",
        "--no-shrink",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    command += ["--include-name", only] if only else ["--exclude-name", REVOKE]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS), "GOVEM_FUZZ_STATUSES": str(statuses)}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False, env=env
    )
    output = done.stdout + done.stderr
    report.with_suffix(".txt").write_text(output)
    cases = next(
        (
            int(line.split()[0])
            for line in output.splitlines()
            if line.strip().endswith("skipped") and "generated" in line
        ),
        0,
    )
    suites = ET.parse(report).getroot()  # noqa: S314
    cases_tag = list(suites.iter("testcase"))
    failures = sum(len(case.findall("failure")) for case in cases_tag)
    errors = sum(len(case.findall("error")) for case in cases_tag)
    answered: dict[str, set[int]] = {}
    for line in statuses.read_text().splitlines() if statuses.exists() else []:
        label, status, _code = line.split("\t")
        answered.setdefault(label, set()).add(int(status))
    reached = sorted(label for label, codes in answered.items() if min(codes) < 300)
    return {
        "exit": done.returncode,
        "operations": len(cases_tag),
        "cases": cases,
        "failures": failures,
        "errors": errors,
        "reached_2xx": len(reached),
        "reached": reached,
        "output": output,
    }


def _login(base: str, nip: str, device_id: str) -> int:
    body = json.dumps({"nip": nip, "password": "rahasia-123", "device_id": device_id}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_schemathesis_finds_nothing_for_an_employee_and_for_tim_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    employee_token = prepare(data_dir, employees=6)["tokens"][0]
    seeded = _seed(data_dir)
    database = "postgresql" if os.environ.get("GOVEM_LIVE_DATABASE_URL") else "sqlite"
    figures: dict[str, dict[str, Any]] = {}
    with servers(data_dir, count=1, workers=2, threads=4) as (base,):
        for role, token in (("employee", employee_token), ("tim_it", seeded["it_token"])):
            config = _config(seeded, role, tmp_path / f"{role}.toml")
            figures[role] = _run(base, token, tmp_path / f"{role}.xml", config=config)
            _reset_lockout(data_dir)
        spare = seeded["spare_token"]
        figures["revoke"] = _run(base, spare, tmp_path / "revoke.xml", only=REVOKE)
        _reset_lockout(data_dir)
        # Fuzzing never locked the real employee out: the login still works.
        login_status = _login(base, seeded["nip"], seeded["device_id"])
    summary = {
        role: {key: value for key, value in run.items() if key != "output"}
        for role, run in figures.items()
    }
    (tmp_path / "figures.json").write_text(json.dumps(summary))
    print(f"schemathesis on {database}: {json.dumps(summary)}")
    for role, run in figures.items():
        if not (run["operations"] and run["exit"] == 0 and not run["failures"] + run["errors"]):
            found = run["output"]
            start = found.find("=== FAILURES")
            pytest.fail(f"schemathesis ({role}, {database}):\n{found[max(start, 0) :][:12000]}")
    assert figures["employee"]["operations"] >= 30
    assert login_status == 200
    # The punch and the event check-in are judged by the live server's own (real) clock and
    # the day's one check-in, so whether the fuzzer lands a 2xx there is not required (their
    # success paths are tested under a frozen clock in tests/attendance and tests/events).
    for role, labels in REACHED.items():
        missing = labels - set(figures[role]["reached"])
        assert not missing, f"{role} never reached a 2xx on {sorted(missing)}"
