"""The API contract, machine-checked: schemathesis against a live `govem serve` (issue 15).

Every operation of the OpenAPI document, ``--checks all``, a bounded number of examples per
operation (``GOVEM_FUZZ_EXAMPLES``, default 10) and a fixed seed, once with an employee's
token and once with a Tim IT token; 0 failures. The login is fuzzed too: its wrong guesses
lock the fuzzing address out (429 is declared), so the lockout is reset between phases and a
real login must still succeed at the end. ``DELETE /auth/token`` revokes the token it is
called with: it runs last, with a token of its own.

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
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.live_servers import GOVEM, environment, prepare, servers

pytestmark = [pytest.mark.server, pytest.mark.contract]

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
REVOKE = "DELETE /api/v1/auth/token"

TOKENS = r"""
from django.contrib.auth import get_user_model
from govem.accounts.services import issue_token
from govem.people.models import Employee
it = get_user_model().objects.get(username="timit")
first, spare = Employee.objects.order_by("pk")
print("GOVEM-TOKENS " + issue_token(user=it, device=None)[0] + " "
      + issue_token(user=spare.user, device=None)[0] + " " + first.nip + " "
      + first.devices.get().device_id)
"""


def _shell(data_dir: Path, code: str) -> str:
    done = subprocess.run(
        [GOVEM, "shell", "-c", code],
        env=environment(data_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _reset_lockout(data_dir: Path) -> None:
    subprocess.run(
        [GOVEM, "axes_reset"], env=environment(data_dir), check=True, capture_output=True
    )


def _run(base: str, token: str, report: Path, *, only: str | None = None) -> dict[str, Any]:
    """One schemathesis run; (operations, cases, failures, errors) from its JUnit report."""
    command = [
        SCHEMATHESIS,
        "--config-file",
        str(CONFIG),
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
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
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
    return {
        "exit": done.returncode,
        "operations": len(cases_tag),
        "cases": cases,
        "failures": failures,
        "errors": errors,
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
    employee_token, _spare = prepare(data_dir, employees=2)["tokens"]
    tokens = _shell(data_dir, TOKENS).split("GOVEM-TOKENS ")[1].split()
    it_token, spare_token, nip, device_id = tokens
    database = "postgresql" if os.environ.get("GOVEM_LIVE_DATABASE_URL") else "sqlite"
    figures: dict[str, dict[str, Any]] = {}
    with servers(data_dir, count=1, workers=2, threads=4) as (base,):
        for role, token in (("employee", employee_token), ("tim_it", it_token)):
            figures[role] = _run(base, token, tmp_path / f"{role}.xml")
            _reset_lockout(data_dir)
        figures["revoke"] = _run(base, spare_token, tmp_path / "revoke.xml", only=REVOKE)
        _reset_lockout(data_dir)
        # Fuzzing never locked the real employee out: the login still works.
        login_status = _login(base, nip, device_id)
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
