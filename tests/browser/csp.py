"""Watch a Playwright browser context for Content-Security-Policy violations and console errors.

Every page of the context reports each ``securitypolicyviolation`` event (what the browser
would send to a report-uri) and each console error; requests the tests themselves abort (map
tiles, anything off the test server) and an expected 404 document are not the page's errors.
"""

from __future__ import annotations

from typing import Any

REPORT_JS = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations = window.__cspViolations || [];
  const text = `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ` +
               `${e.sourceFile || document.location.pathname}:${e.lineNumber} ${e.sample || ''}`;
  window.__cspViolations.push(text);
  console.error('CSP violation: ' + text);
});
"""


class Watch:
    def __init__(self, context: Any, server_url: str, *, expected_missing: set[str]) -> None:
        self.server = server_url.rstrip("/")
        self.expected_missing = expected_missing
        self.problems: list[str] = []
        context.add_init_script(REPORT_JS)
        context.on("page", self._attach)
        for page in context.pages:
            self._attach(page)

    def _attach(self, page: Any) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: error {error}"))

    def _console(self, page: Any, message: Any) -> None:
        if message.type != "error":
            return
        text = message.text
        where = (message.location or {}).get("url", "")
        if text.startswith("Failed to load resource"):
            if not where.startswith(self.server):
                return  # the tests abort requests off the test server (map tiles)
            path = where[len(self.server) :].split("?")[0]
            if path in self.expected_missing:
                return
        self.problems.append(f"{page.url}: console {text} ({where})")

    def violations(self) -> list[str]:
        return [p for p in self.problems if "CSP violation" in p or "Content Security" in p]
