"""Fixtures every area shares, defined once here (no conftest imports another's fixtures):
fast passwords and a fresh cache for every test, the unit/office/employee factories, the small
regency with one user per role, the frozen clocks, the SMTP server and notify settings, and the
phone's API client."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.test import Client

from govem.payroll.models import Pagu, Productivity, Sentence
from govem.people.models import Employee, Unit, WorkLocation
from tests.helpers.days import NOVEMBER, TK_DAY, TL2_DAYS, lay_month, pagu
from tests.helpers.ports import free_port, live_server_port
from tests.helpers.regency import (
    OFFICE_LAT,
    OFFICE_LON,
    PASSWORD,
    Regency,
    build_regency,
    make_employee,
)

STARTED = time.time()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the browser tour's screenshot folder when this run saved screenshots into it."""
    from tests.helpers.shots import tour_folder

    folder = tour_folder()
    shots = [p for p in folder.glob("*.png") if p.stat().st_mtime >= STARTED]
    if shots:
        terminalreporter.write_line(f"Tour screenshots ({len(shots)} this run): {folder}")


# A Monday 07:10 WITA = 2026-11-30 23:10 UTC on the Sunday before.
MONDAY_0710_WITA = datetime(2026, 11, 29, 23, 10, tzinfo=UTC)
# Mid-December 2026, 12:00 WITA: all of November has closed.
LATER = datetime(2026, 12, 15, 4, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    """With GOVEM_TEST_PORTS the live server of the browser tests binds a port of the range
    too (tests.helpers.ports), one per test process."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return  # pytest-xdist's controller: each worker picks its own port
    port = live_server_port()
    chosen = config.option.liveserver or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
    if port is not None and not chosen:
        config.option.liveserver = f"localhost:{port}"


@pytest.fixture
def admin_client(db: Any) -> Client:
    """A logged-in superuser for the Django admin pages (replaces pytest-django's own)."""
    user = get_user_model().objects.create_superuser("admin-aturan", password="sandi-admin-1")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: Any) -> Iterator[None]:
    """Cheap password hashing for the many role users (a test process only: servers started
    as subprocesses hash as deployed); no cache entry (tile counts, lockout counters) carried
    from one test to the next."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Indonesian): a request that asked for English
    leaves its language active in the thread (LocaleMiddleware never deactivates it), and a
    refusal raised later by a direct service call would then come out in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _counting_started(settings: Any) -> Iterator[None]:
    """The suite lives on fixed dates, some before the day its database was migrated: count
    from long before them (the go-live tests set their own start)."""
    from govem.attendance import context
    from govem.monitor import feed
    from govem.operations import golive

    settings.GOVEM_COUNTING_STARTS = date(2020, 1, 1)
    golive.forget()
    context.forget()  # a rolled-back test must not leave its punch contexts behind
    feed.forget()  # nor feed pages (the clock is frozen: one page bucket for the whole test)
    yield
    golive.forget()
    context.forget()
    feed.forget()


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(MONDAY_0710_WITA, tick=False) as traveller:
        yield traveller


@pytest.fixture
def december() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def unit(db: Any) -> Unit:
    return Unit.objects.create(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")


@pytest.fixture
def office(unit: Unit) -> WorkLocation:
    location = WorkLocation.objects.create(
        name="Kantor Diskominfo", latitude=OFFICE_LAT, longitude=OFFICE_LON, radius_m=100
    )
    unit.locations.add(location)
    return location


@pytest.fixture
def employee(unit: Unit, office: WorkLocation) -> Employee:
    return make_employee(unit, "198705122010011003", "Rahmat Hidayat", position="Pranata Komputer")


@pytest.fixture
def colleague(unit: Unit, office: WorkLocation) -> Employee:
    return make_employee(unit, "199002022015032001", "Siti Aminah")


@pytest.fixture
def regency(unit: Unit, office: WorkLocation, employee: Employee, colleague: Employee) -> Regency:
    """One user per role in Diskominfo, an Operator of Dinas Kesehatan, Tim IT and Inovator."""
    return build_regency(unit, office, employee, colleague)


@pytest.fixture
def hand_month(regency: Any, december: Any) -> Any:
    """Rahmat: class 9 (Rp 5,000,000), TL2 twice, one TK, productivity 80 %, and a
    'pemotongan TPP 25 % selama 6 bulan' that started in October (November is its 2nd)."""
    employee = regency.employee
    employee.job_class = 9
    employee.save()
    pagu(Pagu.Basis.CLASS, "9", 5_000_000)
    lay_month(employee, late=TL2_DAYS, absent=[TK_DAY])
    Productivity.objects.create(
        employee=employee, month=NOVEMBER, percent=Decimal("80"), source="import"
    )
    Sentence.objects.create(
        employee=employee,
        kind="tpp_25_6",
        decree_number="800/12/BKPSDM/2026",
        decree_date=date(2026, 9, 28),
        starts=date(2026, 10, 1),
        months=6,
        cut_pct=Decimal("25"),
    )
    return regency


def body_of(response: Any) -> bytes:
    """The whole body of a response. A served file is read to the end, which is when Django's
    test client closes it (response.close() would also close the test's database connection)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def status_of(response: Any) -> int:
    """The status of a response whose body a test does not need (a served file is closed)."""
    body_of(response)
    return int(response.status_code)


class ApiClient:
    """The phone app: logs in with a device id and sends JSON with the bearer token."""

    def __init__(self, client: Client, device_id: str | None = None) -> None:
        self.client = client
        self.device_id = device_id or f"device-{uuid.uuid4()}"
        self.token: str | None = None

    def login(self, nip: str, password: str = PASSWORD) -> Any:
        response = self.client.post(
            "/api/v1/auth/token",
            {"nip": nip, "password": password, "device_id": self.device_id},
            content_type="application/json",
        )
        if response.status_code == 200:
            self.token = response.json()["token"]
        return response

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            path, body, content_type="application/json", headers=self._headers()
        )

    def punch(self, kind: str = "in", **overrides: Any) -> Any:
        body = {
            "kind": kind,
            "latitude": OFFICE_LAT,
            "longitude": OFFICE_LON,
            "accuracy_m": 12.0,
            "client_time": datetime.now(UTC).isoformat(),
            "idempotency_key": str(uuid.uuid4()),
        }
        body.update(overrides)
        return self.post("/api/v1/punches", body)


@pytest.fixture
def phone(client: Client, employee: Employee) -> ApiClient:
    api = ApiClient(client)
    assert api.login(employee.nip).status_code == 200
    return api


class Mailbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any, notify_settings: dict[str, Any]) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.DEFAULT_FROM_EMAIL = "Govem Tapin <govem@tapinkab.go.id>"
    yield mailbox
    controller.stop()


@pytest.fixture
def notify_settings(settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Fast retries, only the channels a test configures, keys in a scratch data dir."""
    settings.DATA_DIR = tmp_path
    settings.SITE_URL = "https://presensi.tapinkab.go.id"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    settings.GOVEM_NOTIFY = {
        **settings.GOVEM_NOTIFY,
        "WHATSAPP_URL": "",
        "TELEGRAM_URL": "",
        "MAX_ATTEMPTS": 3,
        "HTTP_TIMEOUT_S": 5,
    }
    return settings.GOVEM_NOTIFY
