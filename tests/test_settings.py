"""Settings from the environment, checked in fresh processes as the server starts them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in NAMES}, default=str))
"""


def start(data_dir: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new Python with only the given Govem variables set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GOVEM_", "DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"))
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "govem.settings", "GOVEM_DATA_DIR": str(data_dir)}
    clean |= env
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_of(data_dir: Path, *names: str, **env: str) -> dict[str, Any]:
    result = start(data_dir, f"NAMES = {list(names)!r}\n" + SHOW, **env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def refusal(data_dir: Path, **env: str) -> str:
    result = start(data_dir, "import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def test_it_refuses_production_without_a_secret_key(tmp_path: Path) -> None:
    assert "requires SECRET_KEY" in refusal(tmp_path, GOVEM_PRODUCTION="1")
    assert not (tmp_path / "secret_key").exists()


def test_it_refuses_production_with_debug_on(tmp_path: Path) -> None:
    stderr = refusal(tmp_path, GOVEM_PRODUCTION="1", SECRET_KEY="k" * 60, DEBUG="1")
    assert "refuses to start with DEBUG on" in stderr


def test_it_starts_production_safely_with_a_secret(tmp_path: Path) -> None:
    values = settings_of(
        tmp_path,
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SITE_URL",
        "SECURE_HSTS_SECONDS",
        GOVEM_PRODUCTION="1",
        SECRET_KEY="rahasia-produksi-" + "x" * 50,
        ALLOWED_HOSTS="presensi.tapinkab.go.id, ",
        GOVEM_SITE_URL="https://presensi.tapinkab.go.id/",
    )
    assert values == {
        "DEBUG": False,
        "SECRET_KEY": "rahasia-produksi-" + "x" * 50,
        "ALLOWED_HOSTS": ["presensi.tapinkab.go.id"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SITE_URL": "https://presensi.tapinkab.go.id",
        "SECURE_HSTS_SECONDS": 31_536_000,
    }


def test_it_refuses_production_without_a_site_url_for_message_links(tmp_path: Path) -> None:
    stderr = refusal(tmp_path, GOVEM_PRODUCTION="1", SECRET_KEY="k" * 60)
    assert "requires GOVEM_SITE_URL" in stderr
    stderr = refusal(tmp_path, GOVEM_SITE_URL="presensi.tapinkab.go.id")
    assert "must be an absolute http(s) URL" in stderr


def test_it_takes_the_hsts_max_age_from_the_environment(tmp_path: Path) -> None:
    values = settings_of(
        tmp_path,
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        GOVEM_PRODUCTION="1",
        SECRET_KEY="k" * 60,
        GOVEM_SITE_URL="https://presensi.tapinkab.go.id",
        GOVEM_HSTS_SECONDS="3600",
        GOVEM_HSTS_INCLUDE_SUBDOMAINS="1",
    )
    assert values == {"SECURE_HSTS_SECONDS": 3600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True}
    assert settings_of(tmp_path, "SECURE_HSTS_SECONDS") == {"SECURE_HSTS_SECONDS": 0}


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("DEBUG", "maybe", "is not a boolean"),
        ("GOVEM_PRODUCTION", "ya", "is not a boolean"),
        ("GOVEM_ACCURACY_MAX_M", "seratus", "is not a number"),
        ("GOVEM_ACCURACY_MAX_M", "-5", "must be a finite number >= 0"),
        ("GOVEM_ACCURACY_CAP_M", "nan", "must be a finite number"),
        ("GOVEM_LOGIN_FAILURE_LIMIT", "inf", "must be a finite number"),
        ("GOVEM_LOGIN_FAILURE_LIMIT", "0", "must be a finite number >= 1"),
        ("GOVEM_MOCK_LOCATION_POLICY", "allow", "must be 'reject' or 'flag'"),
    ],
)
def test_it_refuses_a_value_it_cannot_read(
    tmp_path: Path, name: str, value: str, complaint: str
) -> None:
    stderr = refusal(tmp_path, **{name: value})
    assert complaint in stderr and name in stderr


def test_it_reads_booleans_and_numbers_in_their_usual_spellings(tmp_path: Path) -> None:
    values = settings_of(
        tmp_path,
        "DEBUG",
        "GOVEM",
        DEBUG="off",
        GOVEM_ACCURACY_MAX_M=" 80 ",
        GOVEM_CLOCK_SKEW_SECONDS="",
    )
    assert values["DEBUG"] is False
    assert values["GOVEM"]["ACCURACY_MAX_M"] == 80.0
    assert values["GOVEM"]["CLOCK_SKEW_S"] == 300.0  # empty means the default


def test_it_generates_a_private_secret_key_once_and_reuses_it(tmp_path: Path) -> None:
    first = settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"] == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret_key")] == []


def test_it_gives_processes_starting_together_one_secret_key(tmp_path: Path) -> None:
    code = "NAMES = ['SECRET_KEY']\n" + SHOW
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: start(tmp_path, code), range(8)))
    assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    keys = {json.loads(r.stdout.strip().splitlines()[-1])["SECRET_KEY"] for r in results}
    assert keys == {(tmp_path / "secret_key").read_text().strip()}


def test_it_prefers_the_secret_key_from_the_environment(tmp_path: Path) -> None:
    values = settings_of(tmp_path, "SECRET_KEY", SECRET_KEY="  dari-lingkungan  ")
    assert values["SECRET_KEY"] == "dari-lingkungan"
    assert not (tmp_path / "secret_key").exists()


PRAGMAS = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    values = []
    for pragma in ("journal_mode", "synchronous", "foreign_keys"):
        cursor.execute(f"PRAGMA {pragma}")
        values.append(str(cursor.fetchone()[0]))
print(connection.settings_dict["NAME"], *values)
"""


def test_it_defaults_to_a_durable_sqlite_database_in_the_data_dir(tmp_path: Path) -> None:
    result = start(tmp_path, PRAGMAS)
    assert result.returncode == 0, result.stderr
    name, journal, synchronous, foreign_keys = result.stdout.split()
    assert Path(name) == tmp_path / "govem.sqlite3"
    assert (tmp_path / "govem.sqlite3").exists()
    assert journal == "wal"
    assert synchronous == "2"  # FULL: a commit is on disk before the receipt is shown
    assert foreign_keys == "1"


def test_it_asks_postgresql_for_durable_commits(tmp_path: Path) -> None:
    values = settings_of(
        tmp_path, "DATABASES", DATABASE_URL="postgres://govem@db.internal:5432/govem"
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "govem.db.postgresql"  # Django's, its health check cheaper
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.internal",
        "govem",
        "govem",
    )
    # Only the check-in's statements that govem.db.hot asks for explicitly are prepared.
    assert database["OPTIONS"] == {
        "options": "-c synchronous_commit=on",
        "prepare_threshold": 1_000_000_000,
    }


def test_it_prepares_nothing_on_postgresql_when_told_to(tmp_path: Path) -> None:
    values = settings_of(
        tmp_path,
        "DATABASES",
        DATABASE_URL="postgres://govem@db.internal:5432/govem",
        GOVEM_DB_PREPARE="0",
    )
    options = values["DATABASES"]["default"]["OPTIONS"]
    assert options == {"options": "-c synchronous_commit=on"}  # psycopg: None = never prepare


def test_it_speaks_indonesian_in_wita_by_default(tmp_path: Path) -> None:
    values = settings_of(tmp_path, "LANGUAGE_CODE", "TIME_ZONE", "USE_TZ", "LANGUAGES")
    assert (values["LANGUAGE_CODE"], values["TIME_ZONE"], values["USE_TZ"]) == (
        "id",
        "Asia/Makassar",
        True,
    )
    assert [code for code, _ in values["LANGUAGES"]] == ["id", "en"]


REUSE = """
import json, django
django.setup()
from django.db import close_old_connections, connection
connection.ensure_connection()
first = connection.connection
close_old_connections()  # what Django runs when a request ends
connection.ensure_connection()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA synchronous")
    synchronous = cursor.fetchone()[0]
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({"reused": connection.connection is first, "synchronous": synchronous,
                  "journal": journal, "health": connection.settings_dict["CONN_HEALTH_CHECKS"]}))
"""


def test_it_keeps_the_sqlite_connection_across_requests_and_durable(tmp_path: Path) -> None:
    result = start(tmp_path, REUSE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    # One connection, its PRAGMAs set once, still WAL with synchronous=FULL (2).
    assert seen == {"reused": True, "synchronous": 2, "journal": "wal", "health": True}


def test_it_closes_the_connection_after_each_request_when_told(tmp_path: Path) -> None:
    result = start(tmp_path, REUSE, GOVEM_DB_CONN_MAX_AGE="0")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["reused"] is False
    assert (seen["synchronous"], seen["journal"]) == (2, "wal")
