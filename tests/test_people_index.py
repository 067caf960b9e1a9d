"""The people index: one councillors table that works as it is, with labelled filters that
its script (a file, never inline) shows and drives."""

from __future__ import annotations

from support import ROOT, Site

from committee_papers.model import Papers, PersonKind


def test_councillors_table_carries_party_ward_and_bodies(site: Site, papers: Papers) -> None:
    page = site.article("people/")
    table = page.select_one("table#councillors[data-cp-sortable]")
    rows = table.select("tbody tr")
    members = [p for p in papers.people.values() if p.kind is PersonKind.member]
    assert len(rows) == len(members)
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == ["Name", "Party", "Ward", "Committees and bodies"]
    goodwin = next(r for r in rows if "Peter Goodwin" in r.th.get_text())
    assert goodwin["data-party"] == "Conservative" and goodwin["data-ward"] == "Westbury"
    assert "Audit and Governance Committee" in goodwin["data-body"].split("|")
    assert table.find_parent("div", class_="cp-table-wrap")["role"] == "region"


def test_filters_are_labelled_and_hidden_until_the_script_runs(site: Site) -> None:
    form = site.article("people/").select_one("form.cp-filters")
    assert form.has_attr("hidden")
    for select in form.select("select"):
        assert form.select_one(f'label[for="{select["id"]}"]') is not None
        assert select.option.get_text() == "All"
    parties = [o["value"] for o in form.select("#filter-party option")][1:]
    assert parties == sorted(parties) and "Labour" in parties


def test_the_people_script_is_a_file_under_assets(site: Site) -> None:
    page = site.page("people/")
    sources = [s.get("src", "") for s in page.find_all("script")]
    assert any(src.endswith("assets/people.js") for src in sources)
    assert (ROOT / "overrides/assets/people.js").is_file()
    assert (site.root / "assets/people.js").is_file()
