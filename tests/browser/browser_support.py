"""What the browser tests share: the page types, the Chromium to drive, axe, focus checks.

Kept out of conftest.py so test modules can import it by name. Nothing here starts a
browser; the fixtures in conftest.py do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

from support import ROOT

#: Debian's Chromium. Playwright's own browser downloads are never used: they need the
#: network and a second browser nobody patches.
CHROMIUM_CANDIDATES = ("chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

#: Screenshots of every page type at both widths, for people to look at after a run.
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

#: One page of every type the site has (the accessibility statement and the meetings index
#: included), so a template or CSS change is checked wherever it shows.
PAGE_TYPES = {
    "home": "/",
    "committees": "/committees/",
    "body": "/committees/audit-governance/",
    "meetings": "/meetings/",
    "meeting": "/meetings/2026-01-28-audit-governance/",
    "report": "/reports/internal-audit-progress-q3-2025-26/",
    "report-version": "/reports/budget-proposals-2027-28/v1/",
    "appendix-table": "/reports/internal-audit-progress-q3-2025-26/appendix-1/",
    "appendix-chart": "/reports/internal-audit-progress-q3-2025-26/appendix-2/",
    "minutes": "/meetings/2026-01-28-audit-governance/minutes/",
    "person": "/people/peter-goodwin/",
    "people": "/people/",
    "calendar": "/calendar/",
    "developers": "/developers/",
    "statement": "/accessibility/",
    "decisions": "/decisions/",
    "decision": "/decisions/fees-and-charges-2026-27/",
    "forward-plan": "/forward-plan/2026-03/",
    "issue": "/issues/tenancy-strategy-2026/",
    "notices": "/notices/",
    "not-found": "/404.html",
    "meetings-year": "/meetings/2026/",
    "body-year": "/committees/cabinet/2026/",
    "decisions-year": "/decisions/2026/",
    "decisions-month": "/decisions/2026/03/",
}

#: WCAG 2.2 A and AA as axe-core tags them (2.0, 2.1 and 2.2 criteria).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Rules outside those tags that stock material fails and we fixed, so they stay fixed.
AXE_EXTRA_RULES = ["aria-dialog-name"]

INSTALL_HINT = (
    "Install Debian's Chromium with `sudo apt-get install chromium` (the tests use "
    "/usr/bin/chromium; do not run `playwright install`), then run `pytest -m browser`."
)


def chromium_executable() -> str | None:
    """Debian's Chromium, or None; CHROMIUM may name another build of it."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, in words that say how to fix it; None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright for Python is not installed: run `pip install -e '.[test]'` in the "
            "virtual environment. " + INSTALL_HINT
        )
    if chromium_executable() is None:
        return "Chromium is not installed, so the browser tests were skipped. " + INSTALL_HINT
    return None


# --- axe -------------------------------------------------------------------------------------


#: Resolves after the next two frames, by which time the page's pending layout callbacks
#: (resize observers, animation frames) have run.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now (state included)."""
    from axe_playwright_python.base import AXE_SCRIPT

    # Two frames first: material sizes its sidebars from the viewport in frame callbacks,
    # and on a loaded machine a check right after `load` could see a sidebar between two
    # sizes (8 px of hidden navigation in a box of none: "scrollable-region-focusable").
    page.evaluate(SETTLED)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": True} for rule in AXE_EXTRA_RULES},
        "resultTypes": ["violations"],
    }
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """Each violation's id, impact and help, and the selector of every offending node."""
    lines = [f"{len(violations)} axe-core violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " >> ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}\n        {summary}")
    return "\n".join(lines)


# --- focus -----------------------------------------------------------------------------------

#: The focused element and whether a person can see it: a focus indicator (outline or
#: box-shadow), a box inside the viewport, not transparent, and not covered by anything.
FOCUS_STATE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const first = el.getClientRects()[0] || box;
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  let opacity = 1, hidden = false;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const s = getComputedStyle(node);
    opacity *= parseFloat(s.opacity);
    if (s.visibility === "hidden" || s.display === "none") hidden = true;
  }
  const x = Math.min(Math.max(first.left + first.width / 2, 0), width - 1);
  const y = Math.min(Math.max(first.top + first.height / 2, 0), height - 1);
  const hit = document.elementFromPoint(x, y);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const inViewport = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < height && box.left < width;
  const uncovered = !!hit && (hit === el || el.contains(hit) || hit.contains(el));
  return {
    element: el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : ""),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim()
      .replace(/\\s+/g, " ").slice(0, 70),
    href: el.getAttribute("href") || "",
    url: el.href || "",
    outline: style.outlineStyle + " " + style.outlineWidth + " " + style.outlineColor,
    boxShadow: style.boxShadow,
    indicator: outline || shadow,
    inViewport, uncovered, opacity, hidden,
    inAgenda: !!el.closest(".cp-agenda"),
    inDrawer: !!el.closest(".md-sidebar--primary"),
    visible: (outline || shadow) && inViewport && uncovered && opacity > 0.9 && !hidden,
  };
}
"""


def focus_state(page: Any, *, settle_ms: int = 600) -> dict[str, Any] | None:
    """The focused element's state, once it can be seen (transitions and scrolling settle
    within `settle_ms`); None when focus has left the page, as after the last control."""
    state = page.evaluate(FOCUS_STATE_JS)
    if state is None or state["visible"]:
        return state
    from playwright.sync_api import TimeoutError as StillHidden

    with contextlib.suppress(StillHidden):  # then report the state it is stuck in
        page.wait_for_function(
            f"() => {{ const s = ({FOCUS_STATE_JS})(); return s === null || s.visible; }}",
            timeout=settle_ms,
        )
    return page.evaluate(FOCUS_STATE_JS)


def describe(state: dict[str, Any] | None) -> str:
    if state is None:
        return "(focus left the page)"
    return f"{state['element']} {state['text']!r} href={state['href']!r}"


def problem_with_focus(state: dict[str, Any]) -> str | None:
    """What is wrong with where focus is, for a person who cannot see it; None if nothing."""
    if state["visible"]:
        return None
    reasons = []
    if not state["indicator"]:
        reasons.append(f"no focus indicator (outline {state['outline']}, box-shadow none)")
    if not state["inViewport"]:
        reasons.append("outside the viewport or of no size")
    if not state["uncovered"]:
        reasons.append("covered by another element")
    if state["opacity"] <= 0.9 or state["hidden"]:
        reasons.append(f"transparent or hidden (opacity {state['opacity']:.2f})")
    return f"{describe(state)}: " + "; ".join(reasons)


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save the page as test-artifacts/screenshots/<name>.png: all of it, or (for an overlay
    such as open search, which a full-page capture distorts) what is on screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
