"""docs/deployment.md, followed literally: the env file and the unit files as systemd and sh
read them, every `govem` command in it, and Govem starting in production with that
environment (HSTS behind TLS)."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from tests.helpers.ports import free_port

DOC = Path(__file__).resolve().parents[1] / "docs" / "deployment.md"
GOVEM = Path(sys.executable).with_name("govem")
ENV_PATH = "/etc/govem/govem.env"
ENV_LINE = re.compile(r"^[A-Z_][A-Z0-9_]*=")


def blocks() -> list[tuple[str, str, str]]:
    """(language, the last /etc path named in the text before it, body) of each fenced block."""
    found, path, language, body, inside = [], "", "", [], False
    for line in DOC.read_text().splitlines():
        if line.startswith("```"):
            if inside:
                found.append((language, path, "\n".join(body) + "\n"))
                inside, body = False, []
            else:
                inside, language = True, line[3:].strip()
            continue
        if inside:
            body.append(line)
        else:
            named = re.findall(r"`(/etc/[^`\s]+)`", line)
            if named:
                path = named[-1]
    return found


def named_file(path: str, language: str) -> str:
    matches = [body for lang, named, body in blocks() if named == path and lang == language]
    if language == "sh":  # the file's content, not the commands that open it
        matches = [
            body
            for body in matches
            if all(not line.strip() or line.startswith("#") or ENV_LINE.match(line)
                   for line in body.splitlines())
        ]  # fmt: skip
    assert len(matches) == 1, f"one {language} block for {path} in the doc"
    return matches[0]


# --- how systemd reads EnvironmentFile= (systemd.exec(5); env-file.c's state machine) ---------

WHITESPACE, NEWLINE = " \t\n\r", "\n\r"


def systemd_env(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    state, key, value, trailing = "pre_key", "", "", 0
    for char in text + "\n":
        if state == "pre_key":
            if char in "#;":
                state = "comment"
            elif char not in WHITESPACE:
                state, key = "key", char
        elif state == "key":
            if char in NEWLINE:
                state = "pre_key"  # a line without "=" is ignored
            elif char == "=":
                state, value, trailing = "pre_value", "", 0
            else:
                key += char
        elif state in {"pre_value", "value"}:
            if char in NEWLINE:
                values[key.strip()] = value[: len(value) - trailing] if trailing else value
                state = "pre_key"
            elif state == "pre_value" and char in WHITESPACE:
                pass
            elif state == "pre_value" and char == "'":
                state = "single"
            elif state == "pre_value" and char == '"':
                state = "double"
            elif char == "\\":
                state, trailing = "value_escape", 0
            else:
                state = "value"
                value += char
                trailing = trailing + 1 if char in WHITESPACE else 0
        elif state == "value_escape":
            state = "value"
            if char not in NEWLINE:
                value += char
        elif state == "single":
            if char == "'":
                state, trailing = "pre_value", 0
            else:
                value += char
        elif state == "double":
            if char == '"':
                state, trailing = "pre_value", 0
            elif char == "\\":
                state = "double_escape"
            else:
                value += char
        elif state == "double_escape":
            state = "double"
            if char in '"\\`$':
                value += char
            elif char != "\n":
                value += "\\" + char
        elif state == "comment":
            if char == "\\":
                state = "comment_escape"
            elif char in NEWLINE:
                state = "pre_key"
        elif state == "comment_escape":
            state = "comment"
    return values


def sh_env(path: Path) -> dict[str, str]:
    """What `set -a; . file` exports, read back from a clean /bin/sh."""
    result = subprocess.run(
        ["/usr/bin/env", "-i", "/bin/sh", "-c", 'set -a; . "$1"; set +a; exec env -0', "sh", path],
        capture_output=True,
        check=True,
    )
    pairs = [item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item]
    return {name: value for name, value in pairs if name not in {"PWD", "SHLVL", "_", "OLDPWD"}}


def test_the_env_file_loads_the_same_in_systemd_and_in_sh(tmp_path: Path) -> None:
    text = named_file(ENV_PATH, "sh")
    env_file = tmp_path / "govem.env"
    env_file.write_text(text)

    by_systemd = systemd_env(text)
    by_sh = sh_env(env_file)

    assert by_systemd == by_sh
    assert {"GOVEM_PRODUCTION", "SECRET_KEY", "DATABASE_URL", "GOVEM_SITE_URL"} <= set(by_sh)
    for line in text.splitlines():
        if ENV_LINE.match(line):
            assert not re.search(r"\s#", line), f"an inline comment: {line}"
            assert "$" not in line and "\\" not in line, f"sh and systemd differ on {line}"
    assert by_sh["GOVEM_OFFICE_NAME"] == "DINAS KOMUNIKASI DAN INFORMATIKA"
    assert by_sh["GOVEM_WHATSAPP_BODY"].startswith('{"target": "{phone}"')


def test_the_parser_reads_an_inline_comment_into_the_value_as_systemd_does() -> None:
    """The bug the doc had: `VALUE   # comment` is one value for systemd."""
    parsed = systemd_env("A=1   # satu nginx\n# komentar\nB='x y'\nC=\"p \\$q\"\n D = e \n")
    assert parsed == {"A": "1   # satu nginx", "B": "x y", "C": "p $q", "D": "e"}


def unit(path: str) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in named_file(path, "ini").splitlines():
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        name, _, value = line.partition("=")
        current[name.strip()] = value.strip()
    return sections


@pytest.mark.parametrize(
    ("path", "command"),
    [
        ("/etc/systemd/system/govem.service", "serve"),
        ("/etc/systemd/system/govem-worker.service", "worker"),
    ],
)
def test_the_unit_files_run_govem_with_the_env_file(
    tmp_path: Path, path: str, command: str
) -> None:
    service = unit(path)["Service"]
    assert service["EnvironmentFile"] == ENV_PATH
    assert (service["User"], service["Group"]) == ("govem", "govem")
    program, *args = service["ExecStart"].split()
    assert program == "/opt/govem/.venv/bin/govem"
    assert args[0] == command
    assert command in get_commands()
    load_command_class(get_commands()[command], command).create_parser("govem", command).parse_args(
        args[1:]
    )


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(
    SYSTEMD_ANALYZE is None,
    reason="systemd-analyze is not installed (Debian's systemd; .ci/run installs it)",
)
@pytest.mark.parametrize(
    "path", ["/etc/systemd/system/govem.service", "/etc/systemd/system/govem-worker.service"]
)
def test_systemd_accepts_the_unit_files(tmp_path: Path, path: str) -> None:
    assert SYSTEMD_ANALYZE is not None
    text = named_file(path, "ini").replace("/opt/govem/.venv/bin/govem", str(GOVEM))
    text = text.replace(ENV_PATH, str(tmp_path / "govem.env")).replace(
        "/var/log/govem", str(tmp_path)
    )
    (tmp_path / "govem.env").write_text(named_file(ENV_PATH, "sh"))
    target = tmp_path / Path(path).name
    target.write_text(text)
    verified = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", str(target)], capture_output=True, text=True, check=False
    )
    problems = [line for line in verified.stderr.splitlines() if target.name in line]
    assert verified.returncode == 0 and not problems, verified.stderr


PROGRAMS = {"govem", "/usr/local/bin/govem", "/opt/govem/.venv/bin/govem"}
STOP = {"|", ">", ">>", "&&", ";", "2>&1", "||"}


def _tokens(line: str) -> list[str]:
    """The line's words, with quoted scripts (sh -c '…', printf lines) split again."""
    words = []
    for word in shlex.split(line, comments=True):
        words.extend(_tokens(word) if re.search(r"govem\s", word) else [word])
    return words


def doc_commands() -> list[list[str]]:
    """Every `govem SUBCOMMAND …` in the doc's shell and cron blocks, as argument lists."""
    found = []
    for language, _, body in blocks():
        if language not in {"sh", "cron"}:
            continue
        for line in body.splitlines():
            words = _tokens(line.replace("$@", ""))
            if "systemctl" in words:  # service names, not the program
                continue
            for index, word in enumerate(words[:-1]):
                follows = words[index - 1] if index else ""
                name = words[index + 1]
                if word not in PROGRAMS or follows in {"-u", "-g", "-O"} or name == "govem":
                    continue
                if not re.fullmatch(r"[a-z][a-z-]*", name):
                    continue
                args = []
                for arg in words[index + 2 :]:
                    if arg in STOP:
                        break
                    args.append(arg)
                found.append([name, *args])
    return found


def test_every_govem_command_in_the_doc_exists_with_those_options() -> None:
    commands = doc_commands()
    names = {command[0] for command in commands}
    assert {"migrate", "health", "create-admin", "import-units", "import-locations",
            "import-employees", "backup", "restore", "worker"} <= names  # fmt: skip
    available = get_commands()
    for name, *args in commands:
        django_name = name.replace("-", "_")
        assert django_name in available, f"govem {name} does not exist"
        parser = load_command_class(available[django_name], django_name).create_parser(
            "govem", django_name
        )
        parser.parse_args(args)  # exits (SystemExit) on an option the command lacks


def test_nginx_and_logrotate_match_the_unit_files() -> None:
    nginx = named_file("/etc/nginx/sites-available/govem", "nginx")
    serve = unit("/etc/systemd/system/govem.service")["Service"]["ExecStart"]
    bind = serve.split("--bind ")[1].split()[0]
    assert f"proxy_pass http://{bind};" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx  # HSTS and secure cookies
    rotate = named_file("/etc/logrotate.d/govem", "conf")
    for log in re.findall(r"--(?:access|error)-logfile (\S+)", serve):
        assert log in rotate


def get(url: str, **headers: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_govem_starts_in_production_with_the_doc_environment(tmp_path: Path) -> None:
    env_file = named_file(ENV_PATH, "sh")
    values = systemd_env(env_file)
    # Only what points at this machine changes; every other value is the doc's.
    values |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'govem.sqlite3'}",
        "GOVEM_DATA_DIR": str(tmp_path / "data"),
        "GOVEM_BACKUP_DIR": str(tmp_path / "backups"),
    }
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    if "PYTHONPATH" in os.environ:
        base["PYTHONPATH"] = os.environ["PYTHONPATH"]
    environment = base | values
    migrate = subprocess.run(
        [str(GOVEM), "migrate", "--noinput", "-v0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    exec_start = unit("/etc/systemd/system/govem.service")["Service"]["ExecStart"].split()[1:]
    args = [arg.replace("/var/log/govem", str(tmp_path)) for arg in exec_start]
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    args[args.index("--workers") + 1] = "1"
    server = subprocess.Popen([str(GOVEM), *args], env=environment)
    try:
        deadline = time.monotonic() + 60
        status: int | None = None
        while time.monotonic() < deadline:
            try:
                status, headers = get(
                    f"http://127.0.0.1:{port}/healthz",
                    Host="presensi.tapinkab.go.id",
                    **{"X-Forwarded-Proto": "https"},
                )
                break
            except OSError:
                assert server.poll() is None, "govem serve exited"
                time.sleep(0.3)
        assert status == 200
        assert headers["Strict-Transport-Security"] == (f"max-age={values['GOVEM_HSTS_SECONDS']}")
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        plain_status, plain = get(
            f"http://127.0.0.1:{port}/healthz", Host="presensi.tapinkab.go.id"
        )
        assert plain_status == 200 and "Strict-Transport-Security" not in plain
        unknown, _ = get(f"http://127.0.0.1:{port}/healthz", Host="evil.example")
        assert unknown == 400  # ALLOWED_HOSTS from the doc holds
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "GET /healthz" in (tmp_path / "access.log").read_text()
    assert (tmp_path / "error.log").exists()


def deploy_environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    """docs/deployment.md's environment on this machine (a throwaway secret, temporary dirs)."""
    values = systemd_env(named_file(ENV_PATH, "sh")) | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'govem.sqlite3'}",
        "GOVEM_DATA_DIR": str(tmp_path / "data"),
        "GOVEM_BACKUP_DIR": str(tmp_path / "backups"),
    }
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return base | values | changes


def govem(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GOVEM), *args], env=environment, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


def test_django_deploy_checks_pass_with_the_doc_environment_and_only_justified_silences(
    tmp_path: Path,
) -> None:
    done = govem(deploy_environment(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "no issues (3 silenced)" in done.stdout
    # A production setting really missing still fails: HSTS off is security.W004.
    off = govem(
        deploy_environment(tmp_path, GOVEM_HSTS_SECONDS="0"),
        "check", "--deploy", "--fail-level", "WARNING",
    )  # fmt: skip
    assert off.returncode == 1 and "security.W004" in off.stderr


def test_make_test_runs_the_deploy_check_with_the_doc_values() -> None:
    makefile = (DOC.parents[1] / "Makefile").read_text()
    assert re.search(r"^test: .*\bdeploy-check\b", makefile, re.M)
    recipe = makefile.split("\ndeploy-check:")[1].split("\n\n")[0]
    assert "check --deploy --fail-level WARNING" in recipe
    assert "makemigrations --check --dry-run" in recipe
    block = makefile.split("DEPLOY_ENV =")[1].split("\ndeploy-check:")[0]
    doc = systemd_env(named_file(ENV_PATH, "sh"))
    pairs = dict(re.findall(r"([A-Z_]+)=(\S+)", block))
    assert pairs.pop("DEBUG") == "0"
    assert pairs and all(doc[name] == value for name, value in pairs.items())


def test_govem_check_is_djangos_and_govem_health_is_ours(tmp_path: Path) -> None:
    environment = deploy_environment(tmp_path, GOVEM_PRODUCTION="0", DEBUG="0")
    assert govem(environment, "migrate", "--noinput", "-v0").returncode == 0
    django = govem(environment, "check")
    assert django.returncode == 0 and "System check identified no issues" in django.stdout
    ours = govem(environment, "health")
    assert "Keseluruhan:" in ours.stdout and "Basis data" in ours.stdout
    assert "Keseluruhan:" not in django.stdout


def doc_line(start: str) -> str:
    """The first line of the doc's shell blocks that starts with ``start``."""
    lines = [
        line
        for language, _, body in blocks()
        if language == "sh"
        for line in body.splitlines()
        if line.startswith(start)
    ]
    assert lines, f"a line starting {start!r} in the doc"
    return lines[0]


def test_the_hand_commands_run_govem_with_the_env_file(tmp_path: Path) -> None:
    """The doc's `sh -c 'set -a; . env …'` line and its /usr/local/bin/govem wrapper, run as
    written (sudo and the install paths aside): the command sees the production values."""
    env_file = tmp_path / "govem.env"
    # The doc's file as written, then what points at this machine (sh: the last one wins).
    local = deploy_environment(tmp_path, GOVEM_PRODUCTION="0")
    overrides = {k: local[k] for k in ("SECRET_KEY", "DATABASE_URL", "GOVEM_DATA_DIR",
                                       "GOVEM_BACKUP_DIR", "GOVEM_PRODUCTION")}  # fmt: skip
    env_file.write_text(
        named_file(ENV_PATH, "sh") + "".join(f"{k}={v}\n" for k, v in overrides.items())
    )
    paths = {ENV_PATH: str(env_file), "/opt/govem/.venv/bin/govem": str(GOVEM)}
    wrapper = tmp_path / "govem"
    paths["/usr/local/bin/govem"] = str(wrapper)

    def as_here(line: str) -> str:
        for doc_path, here in paths.items():
            line = line.replace(doc_path, here)
        return line.replace("sudo -u govem ", "").replace("sudo ", "")

    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    base["PATH"] = f"{tmp_path}:{base.get('PATH', '/usr/bin:/bin')}"  # as /usr/local/bin is

    def sh(start: str) -> subprocess.CompletedProcess[str]:
        line = as_here(doc_line(start))
        return subprocess.run(["/bin/sh", "-c", line], env=base, capture_output=True, text=True,
                              timeout=300, check=False)  # fmt: skip

    migrate = sh("sudo -u govem sh -c 'set -a;")
    assert migrate.returncode == 0, migrate.stderr
    assert "Apply all migrations" in migrate.stdout

    assert sh("printf '%s\\n' '#!/bin/sh'").returncode == 0
    assert sh("sudo chmod 0755").returncode == 0
    health = sh("sudo -u govem govem health")
    # The wrapper read the file: the doc's site address, this machine's database.
    assert "Keseluruhan:" in health.stdout and "Basis data" in health.stdout, health.stderr
    show = (
        "from django.conf import settings as s; print(s.SITE_URL, s.DATABASES['default']['NAME'])"
    )
    shown = subprocess.run(
        [str(wrapper), "shell", "-c", show],
        env=base, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    expected = systemd_env(named_file(ENV_PATH, "sh"))
    database = str(tmp_path / "govem.sqlite3")
    assert shown.stdout.splitlines()[-1].split() == [expected["GOVEM_SITE_URL"], database]
