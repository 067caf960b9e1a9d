"""Hand-written pages in docs/ call the same macros as the generated pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import FIXTURE, ROOT

PAGE = """# Papers for the January meeting

{{ agenda("2026-01-28-audit-governance") }}

{{ membership("audit-governance") }}
"""


def build(tmp_path: Path, page: str) -> subprocess.CompletedProcess[str]:
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(page)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        (ROOT / "mkdocs.yml")
        .read_text()
        .split("\nnav:")[0]
        .replace("data_dir: !ENV [PAPERS_DATA, data]", f"data_dir: {FIXTURE}")
        .replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
        .replace("templates_dir: macros", f"templates_dir: {ROOT / 'macros'}")
        .replace("include_dir: macros", f"include_dir: {ROOT / 'macros'}")
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_a_docs_page_can_show_an_agenda(tmp_path: Path) -> None:
    result = build(tmp_path, PAGE)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site/index.html").read_text(), "lxml")
    items = [li["id"] for li in page.select("section.cp-agenda li.cp-item")]
    assert items == [f"item-{n}" for n in range(1, 9)]
    link = page.find(id="item-3").a["href"]
    assert link == "reports/internal-audit-progress-q3-2025-26/"
    assert (tmp_path / "site" / link / "index.html").exists()
    assert "Cllr Peter Goodwin" in page.select_one(".cp-membership").get_text()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('{{ agenda("2099-01-01-nowhere") }}', "agenda(): no meeting with id '2099-01-01-nowhere'"),
        ('{{ appendix("internal-audit-progress-q3-2025-26", "9") }}', "has no appendix '9'"),
    ],
)
def test_a_macro_naming_a_missing_paper_fails_the_build(
    tmp_path: Path, call: str, message: str
) -> None:
    result = build(tmp_path, f"# Page\n\n{call}\n")
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_exempt_report_called_by_a_macro_shows_only_its_notice(tmp_path: Path) -> None:
    result = build(tmp_path, '# Page\n\n{{ report("debt-write-off-jan-2026") }}\n')
    assert result.returncode == 0, result.stderr
    text = BeautifulSoup((tmp_path / "site/index.html").read_text(), "lxml").article.get_text()
    assert "This report is not published." in text
    assert "Debt write-off" not in text and "dissolved" not in text


def test_the_logo_named_in_site_settings_is_the_theme_logo(tmp_path: Path) -> None:
    result = build(tmp_path, "# Page\n")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site/index.html").read_text(), "lxml")
    assert page.select_one(".md-logo img")["src"] == "assets/logo.svg"
