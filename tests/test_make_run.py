"""`make run` starts with DEBUG off unless the developer sets it (DEBUG=1 make run): the
serve line of the Makefile, as make prints it, run by the shell with the server replaced by
a command that prints what it would have seen."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def debug_seen_by_serve(**env: str) -> str:
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in plan.splitlines() if " serve " in line)
    command = serve.split(" serve ")[0].rsplit(" ", 1)[0]  # the assignments before govem
    clean = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    shown = subprocess.run(
        ["sh", "-c", f"{command} sh -c 'echo \"$DEBUG\"'"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return shown.stdout.strip()


def test_make_run_serves_with_debug_off_unless_asked() -> None:
    assert debug_seen_by_serve() == "0"
    assert debug_seen_by_serve(DEBUG="1") == "1"
