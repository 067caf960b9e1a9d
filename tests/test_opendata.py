"""Open data: every JSON file valid against the schema the site publishes, and true to the data."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import Site

from committee_papers import decisions, outputs
from committee_papers.model import Papers
from committee_papers.outputs import opendata
from committee_papers.policy import Policy
from committee_papers.projection import project

ROOT = "https://papers.brackenford.example.gov.uk/"
FOLDERS = {
    "bodies": "organization",
    "meetings": "event",
    "reports": "report",
    "people": "person",
    "decisions": "decision",
}


def load(site: Site, path: str) -> Any:
    return json.loads((site.root / path).read_text(encoding="utf-8"))


def validator(site: Site, name: str) -> jsonschema.Draft202012Validator:
    schema = load(site, f"api/schema/{name}.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{ROOT}api/schema/{name}.json"
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_every_exported_file_is_valid_against_its_published_schema(site: Site, folder: str) -> None:
    check = validator(site, FOLDERS[folder])
    files = sorted((site.root / "api" / folder).glob("*.json"))
    assert files
    for path in files:
        errors = [e.message for e in check.iter_errors(json.loads(path.read_text()))]
        assert errors == [], f"{path.name}: {errors}"


def test_bulk_file_is_valid_and_matches_the_single_files(site: Site) -> None:
    everything = load(site, "api/all.json")
    assert list(validator(site, "all").iter_errors(everything)) == []
    for key, folder in (
        ("decisions", "decisions"),
        ("organizations", "bodies"),
        ("events", "meetings"),
        ("reports", "reports"),
        ("people", "people"),
    ):
        for obj in everything[key]:
            assert load(site, f"api/{folder}/{obj['id']}.json") == obj


def test_counts_match_what_the_public_may_see(site: Site, papers: Papers) -> None:
    everything = load(site, "api/all.json")
    policy = Policy(papers, as_of=dt.date(2026, 11, 23))
    assert {o["id"] for o in everything["organizations"]} == set(papers.bodies)
    assert {e["id"] for e in everything["events"]} == set(papers.meetings)
    assert {p["id"] for p in everything["people"]} == set(papers.people)
    public_reports = {r.id for r in papers.reports.values() if policy.show_report(r)}
    assert {r["id"] for r in everything["reports"]} == public_reports
    assert public_reports != set(papers.reports)  # exempt reports exist and are left out
    assert everything["as_of"] == "2026-11-23"
    register = decisions.register(project(papers, policy), policy)
    assert [d["id"] for d in everything["decisions"]] == [d.id for d in register]


def test_event_uses_ocd_names_and_london_offsets(site: Site) -> None:
    october = load(site, "api/meetings/2026-10-21-planning.json")
    assert october["start_date"] == "2026-10-21T19:00:00+01:00"
    assert october["organization_id"] == "planning" and october["timezone"] == "Europe/London"
    november = load(site, "api/meetings/2026-11-11-audit-governance.json")
    assert november["start_date"] == "2026-11-11T18:30:00+00:00"
    postponed = load(site, "api/meetings/2026-06-02-overview-scrutiny.json")
    assert postponed["status"] == "postponed"
    assert postponed["moved_to"] == "2026-10-06-overview-scrutiny"
    assert load(site, "api/meetings/2026-08-19-planning.json")["status"] == "cancelled"


def test_unpublished_agenda_and_exempt_items_show_nothing_more_than_the_page(
    site: Site, papers: Papers
) -> None:
    future = load(site, "api/meetings/2026-12-16-council.json")
    assert future["agenda"] == [] and future["agenda_published"] is None
    for event in load(site, "api/all.json")["events"]:
        for item in event["agenda"]:
            if item["part"] == 2:
                assert item["report_id"] is None and item["exempt_paragraphs"]
        for entry in (event["minutes"] or {}).get("items", []):
            if entry["exempt"]:
                assert entry["text"] is None and entry["resolutions"] == []


def test_body_memberships_use_popolo_names(site: Site, papers: Papers) -> None:
    org = load(site, "api/bodies/planning.json")
    assert org["classification"] == "committee"
    assert len(org["memberships"]) == len(papers.bodies["planning"].memberships)
    assert {"person_id", "organization_id", "role", "start_date", "end_date"} == set(
        org["memberships"][0]
    )
    assert org["calendar"] == f"{ROOT}calendar/planning.ics"
    assert org["feed"] == f"{ROOT}committees/planning/feed.xml"


def test_developers_page_documents_every_address(site: Site) -> None:
    text = site.article("developers/").get_text(" ")
    for address in (
        "/api/all.json",
        "/api/bodies/<body-id>.json",
        "/api/schema/event.json",
        "/calendar/meetings.ics",
        "/feed.xml",
        "/rss.xml",
    ):
        assert address in text
    assert any(a.get("href", "").endswith("developers/") for a in site.page("").select("nav a"))


def test_schemas_are_published_for_every_kind(demo_site: Path) -> None:
    names = sorted(p.stem for p in (demo_site / "api/schema").glob("*.json"))
    assert names == ["all", "decision", "event", "organization", "person", "report"]


def test_recorded_votes_are_vote_events_with_counts(site: Site, papers: Papers) -> None:
    budget = load(site, "api/decisions/2026-02-25-council-5.json")
    entry = papers.meetings["2026-02-25-council"].minutes.for_item("5")
    voted = [r for r in entry.resolutions if r.vote]
    assert len(budget["vote_events"]) == len(voted)
    event, vote = budget["vote_events"][0], voted[0].vote
    counts = {c["option"]: c["value"] for c in event["counts"]}
    assert counts["for"] == len(vote.for_) and counts["against"] == len(vote.against)
    assert event["result"] == vote.outcome.value
    assert {v["voter_id"] for v in event["votes"]} == {p for p, _ in vote.choices()}


def test_the_bulk_file_is_byte_for_byte_the_whole_export_dumped_at_once(
    site: Site, papers: Papers
) -> None:
    """all.json is spliced from the single files' texts (memory at ten years): the bytes
    must be what dumping the whole export as one value gives."""
    policy = Policy(papers, as_of=dt.date(2026, 11, 23))
    whole = opendata.Exporter(project(papers, policy), policy).everything()
    expected = opendata.to_json(whole.model_dump(mode="json"))
    assert len(whole.reports) > 3 and len(whole.decisions) > 1
    assert (site.root / "api/all.json").read_bytes() == expected


def test_the_bulk_file_is_written_as_it_is_made_and_copied_where_it_cannot_be_linked(
    papers: Papers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """all.json is never held whole (memory at ten years): its text goes into a temporary
    file as each object's file is made, and the site's copy is linked or, on another file
    system, copied from it; either way the bytes of the whole export dumped at once, and
    the temporary file is gone once the next file is asked for."""
    policy = Policy(papers, as_of=dt.date(2026, 11, 23))
    shown = project(papers, policy)
    expected = opendata.to_json(
        opendata.Exporter(shown, policy).everything().model_dump(mode="json")
    )
    made = opendata.files(shown, policy)
    bulk = next(item for item in made if item.path == "api/all.json")
    assert bulk.data == b"" and bulk.source is not None
    assert bulk.content() == expected
    linked, copied = tmp_path / "linked", tmp_path / "copied"
    outputs.write(linked, [bulk])

    def no_link(*args: Any) -> None:
        raise OSError("another file system")

    monkeypatch.setattr(os, "link", no_link)
    outputs.write(copied, [bulk])
    rest = list(made)
    assert rest and all(item.path.startswith("api/schema/") for item in rest)
    assert not bulk.source.exists()
    for folder in (linked, copied):
        assert (folder / "api/all.json").read_bytes() == expected


@pytest.mark.parametrize(
    "path", ["../escaped.json", "api/../../escaped.json", "/tmp/escaped.json", "..", "a\0b"]
)
def test_an_output_path_that_would_leave_the_site_is_refused(tmp_path: Path, path: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(ValueError, match="outside the site"):
        outputs.write(site, [outputs.OutputFile(path, b"{}")])
    assert not (tmp_path / "escaped.json").exists()


def test_output_paths_are_written_below_the_site_normalised(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    made = [outputs.OutputFile("api/x/../people/a.json", b"1"), outputs.OutputFile("b.ics", b"2")]
    assert outputs.write(site, made) == 2
    assert (site / "api/people/a.json").read_bytes() == b"1"
    assert (site / "b.ics").read_bytes() == b"2"


def test_to_json_writes_the_standard_librarys_indented_layout() -> None:
    """The open data's files are written by orjson in the layout of json.dumps(indent=2,
    ensure_ascii=False), which all.json's runs nest (opendata._run_text)."""
    value = {
        "name": "Cllr Siân O'Neill — “Chair”",
        "text": 'tab\there, quote " and backslash \\ and\nnew line, bell \x07, \u2028',
        "empty": {"list": [], "object": {}},
        "items": [{"n": 1, "x": 1.5, "ok": True, "none": None}, [0, -2, [3]]],
        "markup": "</script><!-- & {{ '{{' }}",
    }
    expected = (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert opendata.to_json(value) == expected
    huge = {"n": 2**70}  # beyond orjson's 64 bits: the standard library writes it
    assert opendata.to_json(huge) == (json.dumps(huge, indent=2) + "\n").encode("utf-8")
