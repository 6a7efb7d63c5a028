"""The tour: every page of every role in chromium, on a phone and a desk, in both languages.

On the demo regency (300 employees, 15 units with long names), each role opens the pages of
its own menu plus the console's sub-pages and an unknown address. For every page, at 360×640
and 1440×900, in Indonesian and in English:

- the expected status (200, 404 for the unknown address);
- no horizontal overflow (``scrollWidth <= clientWidth``);
- no two visible text boxes of the main content overlapping;
- axe-core (shipped by axe-playwright-python): no critical and no serious violation
  (run once per page and language: at 360 px in Indonesian, at 1440 px in English);
- in English, none of the shell's Indonesian words left;
- on the employee home, the Masuk/Pulang button and the receipt in the first viewport;
- no Content-Security-Policy violation and no console error (tests/browser/csp.py).

A screenshot of each page lands in the folder printed at the start (GOVEM_SCREENSHOT_DIR, or a
temporary folder). One login per role (the session cookie of Django's test client), so the
tour spends its time on the pages.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from tests.browser.csp import Watch

from govem.attendance.models import Punch
from govem.people.demo import KEY_PEOPLE, load_demo
from govem.people.models import Employee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(360, 640), (1440, 900)]
ROLES = ["Pegawai", "Atasan", "Operator", "Tim IT", "Inovator"]
ANONYMOUS_PAGES = [("login", "/masuk/"), ("activate", "/aktivasi/"), ("forgot", "/lupa-sandi/")]
MISSING = "/halaman-yang-tidak-ada/"
# Words of the shell and the common controls: none may stay Indonesian in English mode.
INDONESIAN = re.compile(
    r"\b(Presensi saya|Keluar|Tampilkan|Ganti bahasa|Langsung ke|Belum ada|"
    r"Unduh|Kirim|Simpan|Halaman tidak ditemukan|Terjadwal|Tanggal|Jumlah)\b"
)
OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
MENU_LINK = re.compile(r'<a href="([^"]+)" data-menu="([^"]+)"')

OVERLAPS_JS = """
() => {
  const main = document.querySelector('main');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const boxes = [];
  while (walker.nextNode() && boxes.length < 1500) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const parent = node.parentElement;
    const skip = '.leaflet-container, dialog, .visually-hidden, [hidden], svg title';
    if (!parent || parent.closest(skip)) continue;
    if (!parent.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    // What a box shows is clipped by every scrolling ancestor (a wide table's hidden columns).
    let clip = {top: -1e9, bottom: 1e9, left: -1e9, right: 1e9};
    for (let el = parent; el && el !== main.parentElement; el = el.parentElement) {
      const st = getComputedStyle(el);
      if (st.overflowX !== 'visible' || st.overflowY !== 'visible') {
        const c = el.getBoundingClientRect();
        clip = {top: Math.max(clip.top, c.top), bottom: Math.min(clip.bottom, c.bottom),
                left: Math.max(clip.left, c.left), right: Math.min(clip.right, c.right)};
      }
    }
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      const box = {top: Math.max(r.top, clip.top), bottom: Math.min(r.bottom, clip.bottom),
                   left: Math.max(r.left, clip.left), right: Math.min(r.right, clip.right),
                   text: node.textContent.trim().slice(0, 40)};
      if (box.right - box.left < 2 || box.bottom - box.top < 2) continue;
      boxes.push(box);
    }
  }
  boxes.sort((a, b) => a.top - b.top);
  const found = [];
  for (let i = 0; i < boxes.length && found.length < 5; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j].top < boxes[i].bottom - 2; j++) {
      const a = boxes[i], b = boxes[j];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 2 && y > 2) found.push(`${a.text} / ${b.text}`);
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def shots_dir() -> Path:
    folder = Path(os.environ.get("GOVEM_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="govem-tour-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nTour screenshots: {folder}")
    return folder


@pytest.fixture
def demo(settings: Any, transactional_db: Any) -> dict[str, Any]:
    from tests.seeds import reseed

    reseed()
    load_demo(password="tur-govem-1")
    users = {role: nip for role, _kind, nip, *_rest in KEY_PEOPLE}
    # The employee checked in this morning: the home shows a receipt, the console a feed.
    employee = Employee.objects.get(nip=users["Pegawai"])
    office = employee.allowed_locations().first()
    now = timezone.now()
    Punch.objects.create(
        employee=employee,
        kind="in",
        server_time=now,
        local_date=timezone.localdate(),
        time_zone=office.time_zone,
        latitude=office.latitude,
        longitude=office.longitude,
        accuracy_m=10,
        distance_m=4.0,
        location=office,
        verdict="accepted",
        source="app",
        receipt="TUR-0001",
    )
    return users


def sub_pages(key: str) -> list[str]:
    """Pages reached from a menu page rather than from the menu itself."""
    today = timezone.localdate().isoformat()
    return {
        "monitor": ["/monitor/peta/", "/monitor/belum-presensi/"],
        "operations": [f"/operasi/evaluasi/{today}/"],
    }.get(key, [])


def browser_for(chromium: Any, live_server: Any, login: str | None) -> Any:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 640},
        locale="id-ID",
        timezone_id="Asia/Makassar",
        service_workers="block",
        permissions=["geolocation"],
        geolocation={"latitude": -2.9167, "longitude": 115.1667, "accuracy": 15},
    )
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    if login is None:
        return context
    client = Client()
    client.force_login(
        get_user_model().objects.get(username=login),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context


def pages_of(client_html: str) -> list[tuple[str, str]]:
    nav = client_html[client_html.index('id="app-menu"') : client_html.index("</nav>")]
    return [(key, url) for url, key in MENU_LINK.findall(nav)]


def check(page: Any, axe: Any, *, label: str, axe_it: bool, english: bool) -> list[str]:
    problems = []
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow > 0:
        problems.append(f"{label}: horizontal overflow {overflow}px")
    overlaps = page.evaluate(OVERLAPS_JS)
    if overlaps:
        problems.append(f"{label}: overlapping text {overlaps}")
    if english:
        left = INDONESIAN.findall(page.inner_text("body"))
        if left:
            problems.append(f"{label}: Indonesian left in English mode {sorted(set(left))}")
    if axe_it:
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        found = [f"{v['id']}({v['impact']})" for v in results.response["violations"]]
        print(f"axe {label}: {len(found)} violations, {len(serious)} serious/critical {found}")
        if serious:
            problems.append(f"{label}: axe {serious}")
    return problems


def test_the_tour_of_every_page_of_every_role(
    chromium: Any, live_server: Any, demo: dict[str, str], shots_dir: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems: list[str] = []
    seen: set[tuple[str, str, int]] = set()
    for role in [*ROLES, "Tamu"]:
        login = demo.get(role)  # "Tamu": not signed in — the sign-in and activation pages
        problems += tour(chromium, live_server, axe, login, role, shots_dir, seen)
    assert problems == [], "\n".join(problems)


def tour(
    chromium: Any,
    live_server: Any,
    axe: Any,
    login: str | None,
    role: str,
    shots_dir: Path,
    seen: set[tuple[str, str, int]],
) -> list[str]:
    """One role's pages. A page already toured by an earlier role (same address, language and
    width) gets the cheap checks only: status, overflow, and the home's first screen."""
    context = browser_for(chromium, live_server, login)
    # Content-Security-Policy violations and console errors, of every page of the tour.
    watch = Watch(context, live_server.url, expected_missing={MISSING})
    page = context.new_page()
    page.set_default_timeout(20_000)
    start = "/rekap/" if login else "/masuk/"
    if login:
        page.goto(start)
        links = pages_of(page.content())
        assert links, role
        paths = [(key, url) for key, url in links if key not in {"admin", "api-docs"}]
        for key, _url in links:
            paths += [(f"{key}-{n}", sub) for n, sub in enumerate(sub_pages(key))]
    else:
        paths = list(ANONYMOUS_PAGES)
    paths.append(("missing", MISSING))
    problems: list[str] = []
    slug = role.lower().replace(" ", "-")
    for language in ("id", "en"):
        page.goto(start)
        page.select_option("#lang-select", language)
        page.click(".langswitch button")
        page.wait_for_load_state()
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            axe_now = (language, width) in {("id", 360), ("en", 1440)}
            for key, url in paths:
                response = page.goto(url)
                expected = 404 if url == MISSING else 200
                assert response is not None and response.status == expected, (role, url)
                label = f"{slug} {key} {language} {width}x{height}"
                first = (url, language, width) not in seen
                seen.add((url, language, width))
                if first:
                    problems += check(
                        page, axe, label=label, axe_it=axe_now, english=language == "en"
                    )
                else:
                    overflow = page.evaluate(OVERFLOW_JS)
                    if overflow > 0:
                        problems.append(f"{label}: horizontal overflow {overflow}px")
                if key == "home":
                    # Only the employee has checked in: the others have no receipt yet.
                    shown = (
                        ("#punch-button", "#receipt") if role == "Pegawai" else ("#punch-button",)
                    )
                    for selector in shown:
                        inside = page.evaluate(
                            "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
                            " return r.top >= 0 && r.bottom <= innerHeight; }",
                            selector,
                        )
                        if not inside:
                            problems.append(f"{label}: {selector} below the first screen")
                if first and language == "id":
                    page.screenshot(
                        path=str(shots_dir / f"{slug}-{key}-{language}-{width}x{height}.png"),
                        full_page=True,
                    )
    context.close()
    return problems + [f"{slug}: {problem}" for problem in watch.problems]
