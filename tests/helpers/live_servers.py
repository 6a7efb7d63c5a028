"""Real `govem serve` processes over one database (the contract run, the browser and cross-process
tests, the benchmarks), and `govem shell` against that database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.helpers.ports import free_port

GOVEM = str(Path(sys.executable).with_name("govem"))

SETUP = r"""
import json, uuid
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from govem.accounts.services import issue_token
from govem.people.models import Device, Employee, Unit, WorkLocation

count = int(__COUNT__)
User = get_user_model()
unit = Unit.objects.create(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
office = WorkLocation.objects.create(
    name="Kantor Diskominfo", latitude=-2.9395, longitude=115.1613, radius_m=100
)
unit.locations.add(office)
from datetime import date, time
from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule
# Presensi open all day: the servers run on the real clock, at whatever hour the suite runs.
always = WorkSchedule.objects.create(code="UJI-24J", name="Uji: presensi sepanjang hari")
ScheduleDay.objects.bulk_create([
    ScheduleDay(schedule=always, weekday=day, start=time(0, 1), end=time(23, 58),
                check_in_opens=time(0, 0), check_out_closes=time(23, 59))
    for day in range(7)
])
ScheduleAssignment.objects.create(schedule=always, unit=unit, valid_from=date(2020, 1, 1))
password = make_password("rahasia-123")
users = User.objects.bulk_create(
    [User(username=f"1987051220100{index:05d}", password=password) for index in range(count)]
)
employees = Employee.objects.bulk_create(
    [
        Employee(
            user=user, employee_type="PNS", nip=f"1987051220100{index:05d}",
            name=f"Pegawai {index:05d}", unit=unit,
        )
        for index, user in enumerate(users)
    ]
)
devices = Device.objects.bulk_create(
    [Device(employee=e, device_id=f"device-{e.pk}", label="uji") for e in employees]
)
tokens = [issue_token(user=user, device=device)[0] for user, device in zip(users, devices)]
it = User.objects.create_user(username="timit", password="rahasia-123")
it.groups.add(Group.objects.get(name="Tim IT"))
session = SessionStore()
session[SESSION_KEY] = str(it.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = it.get_session_auth_hash()
session.create()
print("GOVEM-SETUP " + json.dumps({"session": session.session_key, "tokens": tokens}))
"""


def environment(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"GOVEM_DATA_DIR": str(data_dir), "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"})
    if os.environ.get("GOVEM_LIVE_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["GOVEM_LIVE_DATABASE_URL"]
    env.update(extra or {})
    return env


def shell(data_dir: Path, code: str) -> str:
    """Run ``code`` in `govem shell` on the servers' database; its standard output (a failure
    shows the shell's traceback)."""
    done = subprocess.run(
        [GOVEM, "shell", "-c", code],
        env=environment(data_dir),
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"govem shell exited {done.returncode}:\n{done.stderr[-4000:]}"
    return done.stdout


def shell_json(data_dir: Path, code: str, marker: str) -> dict[str, Any]:
    """The JSON that ``code`` prints on a line of its own after ``marker``."""
    output = shell(data_dir, code)
    line = next(ln for ln in output.splitlines() if ln.startswith(f"{marker} "))
    return dict(json.loads(line.removeprefix(f"{marker} ")))


def prepare(data_dir: Path, employees: int = 1) -> dict[str, Any]:
    """Migrate a fresh database and create a unit, its office, employees and a Tim IT user."""
    subprocess.run(
        [GOVEM, "migrate", "--noinput", "-v", "0"],
        env=environment(data_dir),
        check=True,
        capture_output=True,
    )
    return shell_json(data_dir, SETUP.replace("__COUNT__", str(employees)), "GOVEM-SETUP")


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server {base} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/time", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server {base} did not start")


@contextmanager
def servers(
    data_dir: Path, count: int = 2, workers: int = 1, threads: int = 4
) -> Iterator[list[str]]:
    """``count`` independent `govem serve` processes on their own ports, one database."""
    processes: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    log = (data_dir / "serve.log").open("ab")
    try:
        for _ in range(count):
            port = free_port()
            process = subprocess.Popen(
                [
                    GOVEM,
                    "serve",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    str(threads),
                ],
                env=environment(data_dir),
                stdout=log,
                stderr=log,
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            wait_ready(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def punch_body(kind: str, key: str) -> str:
    """A punch at the seeded office, on the real clock (the servers' schedule is open all day)."""
    return json.dumps(
        {
            "kind": kind,
            "latitude": -2.9395,
            "longitude": 115.1613,
            "accuracy_m": 10.0,
            "client_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "idempotency_key": key,
        }
    )


def punch(
    base: str, token: str, *, kind: str = "in", key: str, timeout: float = 10
) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/api/v1/punches",
        data=punch_body(kind, key).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as error:
        return dict(json.loads(error.read()))
