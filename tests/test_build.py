"""Building: text from data is never evaluated, output is deterministic, failures keep the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import ROOT, build_site, copy_data, file_digests, mkdocs_build, papers_command
from test_siteskeleton import wait_for_skeleton

MEETING = "meetings/2026-01-28-audit-governance"
REPORT = f"{MEETING}/risk-register-update-jan-2026.md"
HOSTILE = """
Officers wrote {{ 7*7 }} and {% include "common.html" %} and {# a comment #} here.

An officer pasted <script>alert("x")</script> and <b onclick="steal()">bold</b> text.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_data(tmp_path_factory.mktemp("hostile") / "data")
    path = data / REPORT
    path.write_text(path.read_text().replace("## Background", HOSTILE + "\n## Background"))
    meeting = data / MEETING / "meeting.yml"
    meeting.write_text(
        meeting.read_text().replace(
            "The meeting is open to the public",
            "<i>Tea</i> {{ config.site_name }} The meeting is open",
        )
    )
    return build_site(data.parent / "site", data_dir=data)


def test_template_syntax_in_a_report_stays_as_typed(hostile_site: Path) -> None:
    page = hostile_site / "reports/risk-register-update-jan-2026/index.html"
    text = BeautifulSoup(page.read_text(), "lxml").select_one("article").get_text(" ")
    assert "{{ 7*7 }}" in text and "49" not in text
    assert '{% include "common.html" %}' in text.replace("\u201c", '"').replace("\u201d", '"')
    assert "{# a comment #}" in text


def test_html_in_data_is_escaped(hostile_site: Path) -> None:
    report = BeautifulSoup(
        (hostile_site / "reports/risk-register-update-jan-2026/index.html").read_text(), "lxml"
    ).select_one("article")
    assert not report.find_all("script")
    assert report.find("b") is None
    assert not any("onclick" in tag.attrs for tag in report.find_all(True))
    assert '<script>alert("x")</script>' in report.get_text().replace("\u201c", '"').replace(
        "\u201d", '"'
    )
    meeting = BeautifulSoup(
        (hostile_site / f"{MEETING}/index.html").read_text(), "lxml"
    ).select_one("article")
    notes = meeting.select_one(".cp-meeting-notes").get_text()
    assert "<i>Tea</i> {{ config.site_name }}" in notes
    assert meeting.select_one(".cp-meeting-notes i") is None


def test_the_same_data_builds_the_same_bytes(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    first = file_digests(build_site(tmp_path / "one", data_dir=data))
    second = file_digests(build_site(tmp_path / "two", data_dir=data))
    assert first == second
    assert len(first) > 30
    sitemap = (tmp_path / "one" / "sitemap.xml").read_text()
    assert "<lastmod>2026-11-23</lastmod>" in sitemap


def test_a_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    site = build_site(tmp_path / "site", data_dir=data)
    before = file_digests(site)
    # The first build leaves a copy of itself for the next build (siteskeleton.copy_of).
    skeleton = wait_for_skeleton(site)
    meeting = data / MEETING / "meeting.yml"
    meeting.write_text(meeting.read_text().replace("date: 2026-01-28", "date: 2026-02-30"))
    result = papers_command("build", "-d", str(site), "--data", str(data), "--as-of", "2026-11-23")
    assert result.returncode == 1
    assert "date: 2026-02-30 is not a date" in result.stderr
    assert "Traceback" not in result.stderr
    assert "was left as it was" in result.stderr
    assert file_digests(site) == before
    # Beside the site stay only the lock file (it records which audience's site is there)
    # and the first build's skeleton for the next one: nothing of the failed build.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == [
        ".site.lock",
        skeleton.name,
        skeleton.name + ".began",
        skeleton.name + ".dirs",
        skeleton.name + ".files",
        skeleton.name + ".types",
    ]


def test_mkdocs_build_strict_passes_with_no_warnings(tmp_path: Path) -> None:
    result = mkdocs_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (tmp_path / "site" / "index.html").exists()


def test_mkdocs_build_with_bad_data_fails_cleanly(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    (data / "bodies" / "planning.yml").write_text("name: Planning\nkind: [\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("data_dir: !ENV [PAPERS_DATA, data]", f"data_dir: {data}")
        .replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
        .replace("templates_dir: macros", f"templates_dir: {ROOT / 'macros'}")
        .replace("include_dir: macros", f"include_dir: {ROOT / 'macros'}")
        + f"docs_dir: {ROOT / 'docs'}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 1
    assert "bodies/planning.yml:3: YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr
