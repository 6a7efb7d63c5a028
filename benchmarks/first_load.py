"""How many bytes does an employee's phone download for the first load of the home page?

Runs the real stack as `make run` does (collectstatic, DEBUG off, gunicorn with whitenoise
serving the gzip copies), signs the demo employee in from one browser, then opens the home
page in a fresh browser with that session and an empty cache, and adds up what went over the
wire (encoded body sizes; map tiles excluded — the map is folded and loads nothing until
opened). Prints each response and the total, and the time at 3G speed (750 kbit/s, 300 ms).

    .venv/bin/python benchmarks/first_load.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PORT = int(os.environ.get("GOVEM_BENCH_PORT", "8150"))
EMPLOYEE = "199507222020121006"  # the demo's Pegawai
PASSWORD = "govem-demo"  # noqa: S105 - the demo's printed password
BIN = Path(sys.executable).parent


def govem(*args: str, env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "govem"), *args], env=env, check=True, capture_output=True)


def wait_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start at {url}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="govem-first-load-"))
    env = {**os.environ, "GOVEM_DATA_DIR": str(data), "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    govem("migrate", "--noinput", env=env)
    govem("collectstatic", "--noinput", env=env)
    govem("demo", env=env)
    server = subprocess.Popen(
        [str(BIN / "govem"), "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_up(base + "/masuk/")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            login = browser.new_context(base_url=base)
            page = login.new_page()
            page.goto("/masuk/")
            page.fill("input[name=login]", EMPLOYEE)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            cookies = login.cookies()
            device = page.evaluate("localStorage.getItem('govem-device-id')")
            login.close()

            phone = browser.new_context(
                base_url=base,
                viewport={"width": 360, "height": 640},
                service_workers="block",
                permissions=["geolocation"],
                geolocation={"latitude": -2.9412, "longitude": 115.1598, "accuracy": 12},
            )
            phone.add_cookies(cookies)
            phone.add_init_script(f"localStorage.setItem('govem-device-id', {device!r})")
            home = phone.new_page()
            responses = []
            home.on("requestfinished", lambda request: responses.append(request))
            home.goto("/", wait_until="networkidle")
            rows = []
            for request in responses:
                sizes = request.sizes()
                response = request.response()
                encoding = response.header_value("content-encoding") if response else None
                rows.append((request.url.replace(base, ""), sizes["responseBodySize"], encoding))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    total = sum(size for _, size, _ in rows)
    for url, size, encoding in rows:
        print(f"{size:>8} B  {encoding or '-':5}  {url}")
    seconds = 0.3 * 2 + total * 8 / 750_000  # two round trips (HTML, then assets) + transfer
    print(f"{total:>8} B  total over the wire, {len(rows)} responses")
    print(f"≈ {seconds:.1f} s on 3G (750 kbit/s, 300 ms round trip)")


if __name__ == "__main__":
    main()
