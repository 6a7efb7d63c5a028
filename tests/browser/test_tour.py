"""The tour: every page of every role in chromium, on a phone and a desk, in both languages.

On the demo regency (300 employees, 15 units with long names) with pending work for every
menu count (a request to approve, an open clarification case, a new ticket, a flagged punch),
each role (one test per role) opens the pages of its own menu plus the console's sub-pages, a
page of another role (403) and an unknown address (404). For every page of every role, at
360×640 and 1440×900, in Indonesian and in English:

- the expected status (200, 403, 404);
- no horizontal overflow (``scrollWidth <= clientWidth``);
- no two visible text boxes of the main content overlapping;
- axe-core (shipped by axe-playwright-python): no critical and no serious violation;
- in English, none of the shell's Indonesian words left;
- on the employee home, the Masuk/Pulang button and the receipt in the first viewport;
- no Content-Security-Policy violation and no console error (tests/browser/csp.py).

A screenshot of each page (``<role>-<page>-<language>-<width>x<height>.png``) and one
``axe-<role>.tsv`` (violations per page: all, serious or critical) land in the folder that the
run's summary names (GOVEM_SCREENSHOT_DIR, else ``govem-tour`` in the temporary directory).
One login per role (the session cookie of Django's test client), so the tour spends its time
on the pages. Django's admin and the API docs (Swagger UI, tests/browser/test_api_docs.py) are
other projects' pages and stay out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from tests.browser.csp import Watch
from tests.helpers.shots import tour_folder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(360, 640), (1440, 900)]
ROLES = ["Pegawai", "Atasan", "Operator", "Tim IT", "Inovator"]
ANONYMOUS_PAGES = [("login", "/masuk/"), ("activate", "/aktivasi/"), ("forgot", "/lupa-sandi/")]
MISSING = "/halaman-yang-tidak-ada/"
FORBIDDEN = {"Pegawai": "/impor-pegawai/", "Inovator": "/impor-pegawai/"}  # Tim IT's page
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
    folder = tour_folder()
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nTour screenshots: {folder}")
    return folder


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


def check(page: Any, axe: Any, *, label: str, english: bool) -> tuple[list[str], str]:
    """The checks of one page; the second value is its axe line for the tsv."""
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
    results = axe.run(page)
    violations = results.response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]
    found = ",".join(f"{v['id']}({v['impact']})" for v in violations) or "-"
    if serious:
        problems.append(f"{label}: axe {serious}")
    return problems, f"{label}\t{len(violations)}\t{len(serious)}\t{found}"


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", [*ROLES, "Tamu"])
def test_the_tour_of_every_page_of_a_role(
    chromium: Any,
    live_server: Any,
    demo: dict[str, str],
    shots_dir: Path,
    role: str,
    language: str,
) -> None:
    """One role and language per test ("Tamu": not signed in — the sign-in and activation
    pages), so that the longest menu stays well inside the test timeout."""
    from axe_playwright_python.sync_playwright import Axe

    found = tour(chromium, live_server, Axe(), demo.get(role), role, language, shots_dir)
    problems, axe_lines = found
    slug = role.lower().replace(" ", "-")
    (shots_dir / f"axe-{slug}-{language}.tsv").write_text(
        "page\tviolations\tserious_or_critical\tids\n" + "\n".join(axe_lines) + "\n"
    )
    assert len(axe_lines) >= 2 * 3, axe_lines  # every page at both sizes
    assert problems == [], "\n".join(problems)


def tour(
    chromium: Any,
    live_server: Any,
    axe: Any,
    login: str | None,
    role: str,
    language: str,
    shots_dir: Path,
) -> tuple[list[str], list[str]]:
    """One role's pages in one language, every one fully checked at both sizes."""
    context = browser_for(chromium, live_server, login)
    # Content-Security-Policy violations and console errors, of every page of the tour.
    expected = {MISSING: 404}
    if role in FORBIDDEN:
        expected[FORBIDDEN[role]] = 403
    watch = Watch(context, live_server.url, expected_missing=set(expected))
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
    if role in FORBIDDEN:
        paths.append(("forbidden", FORBIDDEN[role]))
    paths.append(("missing", MISSING))
    problems: list[str] = []
    axe_lines: list[str] = []
    slug = role.lower().replace(" ", "-")
    page.goto(start)
    page.select_option("#lang-select", language)
    page.click(".langswitch button")
    page.wait_for_load_state()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for key, url in paths:
            response = page.goto(url)
            status = expected.get(url, 200)
            assert response is not None and response.status == status, (role, url, language)
            assert page.get_attribute("html", "lang") == language, (role, url)
            label = f"{slug} {key} {language} {width}x{height}"
            found, line = check(page, axe, label=label, english=language == "en")
            problems += found
            axe_lines.append(line)
            if key == "home":
                # Only the employee has checked in: the others have no receipt yet.
                shown = ("#punch-button", "#receipt") if role == "Pegawai" else ("#punch-button",)
                for selector in shown:
                    inside = page.evaluate(
                        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
                        " return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }",
                        selector,
                    )
                    if not inside:
                        problems.append(f"{label}: {selector} below the first screen")
            page.screenshot(
                path=str(shots_dir / f"{slug}-{key}-{language}-{width}x{height}.png"),
                full_page=True,
            )
    context.close()
    return problems + [f"{slug}: {problem}" for problem in watch.problems], axe_lines
