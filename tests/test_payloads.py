"""Script payloads in every text and URL field of the model, built, parsed and checked.

Nothing typed into the papers may run: no element with an event handler, no script element
but the site's own files, no link with a scheme other than http, https, mailto, tel or
relative, and page titles and descriptions escaped where MkDocs and material print them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
from bs4 import BeautifulSoup
from payloads import BAD_URLS, MARK, attacked_fields, build_payload_site, model_classes
from pydantic import TypeAdapter, ValidationError

_BAD_SCHEME = re.compile(
    r"^[\x00-\x20]*(j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|data|vbscript)\s*:", re.I
)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"}


@pytest.fixture(scope="module", params=["members", "public"])
def payload_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo council with a payload in every field, built for one audience."""
    return build_payload_site(tmp_path_factory.mktemp(f"payload-{request.param}"), request.param)


def _pages(site: Path) -> list[tuple[Path, BeautifulSoup]]:
    return [(p, BeautifulSoup(p.read_text(encoding="utf-8"), "lxml")) for p in site.rglob("*.html")]


def test_the_field_list_comes_from_the_model() -> None:
    fields = attacked_fields()
    classes = {cls.__name__ for cls in model_classes()}
    assert {"Report", "Appendix", "Meeting", "Person", "Body", "Site", "Minutes"} <= classes
    assert {("Report", "title"), ("Report", "summary"), ("Person", "title")} <= fields
    assert {("BackgroundPaper", "url"), ("Link", "url"), ("Meeting", "webcast")} <= fields
    assert ("Report", "id") not in fields  # a slug: no free text


def test_no_event_handler_or_script_element_from_data(payload_site: Path) -> None:
    pages = _pages(payload_site)
    assert len(pages) > 50
    for path, soup in pages:
        where = path.relative_to(payload_site)
        for element in soup.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, f"{where}: <{element.name} {handlers}>"
            assert element.name not in {"iframe", "object", "embed", "base"}, f"{where}"
        for script in soup.find_all("script"):
            if script.get("type") == "application/json":
                assert script.get("id") == "__config", f"{where}: {script}"
                continue
            src = script.get("src", "")
            assert src.endswith(".js") and MARK not in src and "//" not in src, f"{where}: {script}"
            assert not script.string, f"{where}: inline script {script}"


def test_no_link_with_a_disallowed_scheme(payload_site: Path) -> None:
    for path, soup in _pages(payload_site):
        for element in soup.find_all(True):
            for name in _URL_ATTRIBUTES & set(element.attrs):
                value = element[name]
                assert not _BAD_SCHEME.match(value), f"{path}: <{element.name} {name}={value!r}>"


def test_titles_and_descriptions_are_escaped_not_dropped(payload_site: Path) -> None:
    titles = descriptions = 0
    for path, soup in _pages(payload_site):
        title = soup.title.string or ""
        if MARK in title:
            titles += 1
            assert f'<script>alert("{MARK}")</script>' in title, path
        meta = soup.find("meta", attrs={"name": "description"})
        if meta is not None and MARK in meta.get("content", ""):
            descriptions += 1
            assert '">' in meta["content"], path  # `&quot;&gt;` stays text, inside the attribute
    assert titles > 20 and descriptions > 5


def test_template_syntax_from_data_is_shown_not_run(payload_site: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in payload_site.rglob("*.html"))
    assert "{{ 7*7 }}" in text and "{% raw %}" in text


@pytest.mark.parametrize("bad", BAD_URLS)
def test_every_url_field_refuses_a_disallowed_scheme(bad: str) -> None:
    url_fields = [
        (cls, name)
        for cls in model_classes()
        for name, info in cls.model_fields.items()
        if name in {"url", "web", "webcast", "site_url", "href"}
    ]
    assert len(url_fields) >= 4
    for cls, name in url_fields:
        with pytest.raises(ValidationError, match="not allowed"):
            info = cls.model_fields[name]
            kind = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
            TypeAdapter(kind).validate_python(bad)


def test_every_page_carries_the_policy_before_any_script(payload_site: Path) -> None:
    for path, soup in _pages(payload_site):
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None, path
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy["content"], path
        assert "unsafe-inline" not in policy["content"].split("script-src")[1].split(";")[0]
        first_script = soup.find("script")
        assert first_script is None or policy in first_script.find_all_previous("meta"), path


@pytest.mark.parametrize(
    "address",
    [
        'https://papers.example/"><script>alert(1)</script>',
        "https://papers.example/ onload=alert(1)",
        "javascript:alert(1)",
        "https://papers.example/<x>",
    ],
)
def test_the_site_address_is_a_plain_web_address(address: str) -> None:
    """MkDocs prints site_url into every link of some pages unescaped: only plain characters."""
    from committee_papers.model import Site

    with pytest.raises(ValidationError):
        Site.model_validate(
            {
                "council": "X",
                "jurisdiction": {
                    "name": "E",
                    "clear_days": 5,
                    "exempt_paragraphs": {},
                    "exempt_schedule": "S",
                    "exclusion_statute": "T",
                },
                "site_url": address,
            }
        )


def test_material_tooltips_stay_off() -> None:
    """material's content.tooltips puts a title attribute into the page with innerHTML."""
    import yaml
    from support import ROOT

    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "content.tooltips" not in config["theme"]["features"]
