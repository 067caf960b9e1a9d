"""Material's navigation, styles, scripts and footer drawn once per place in the site, not
once per page.

material writes the whole navigation into every page twice (the tabs and the drawer), and
drawing it costs about a fifth of the theme's time per page. For a page outside the nav (every
meeting, report, appendix, minutes and person page) nothing in the navigation is active, so
its HTML depends only on the page's address, through the relative links the `url` filter
makes from it. Pages whose links to every nav page, to the site's root and to the home page
come out the same get the same navigation: it is drawn for the first of them and reused for
the others (all the reports of a site share one drawing).

The same holds for the blocks of the page template that do not show the page itself
(`PLACE_BLOCKS`: styles, scripts, footer, material's config script): about a quarter of the
theme's time a page; they are kept with the navigation, by the same place. So is the
header, but for the page's title: the house style's `partials/header.html` draws the title
between two partials that show nothing of the page (`header-start.html`, `header-end.html`).

A page's table of contents (material's `partials/toc.html`) shows its headings only: their
titles, anchors and levels, never the page's address, so it is kept by the headings
themselves and drawn once for all the pages that have them: every appendix and decision
(none, or the same few), reports written to one template. Most agendas, minutes and
reports have headings of their own (at ten years of the benchmark's papers, 2,612 tables
of 3,000 reports differed), so only the `TOC_KEPT` last used are kept: some 2 KB each, kept
for every page they would have held 50 MB in each process that draws pages.

Pages in the nav (where an item is active) are always drawn. `PAPERS_THEME_MEMO=0` turns the
memo off; tests/test_theme_memo.py builds a site both ways and compares every file. Nothing
here imports MkDocs: it wraps the compiled Jinja templates of the theme's environment.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import jinja2

#: The theme's partial templates that draw the navigation (included by base.html), and the
#: house style's header around the page's title (overrides/partials/header.html): each the
#: same for every page of a place.
NAV_TEMPLATES = (
    "partials/nav.html",
    "partials/tabs.html",
    "partials/header-start.html",
    "partials/header-end.html",
)
#: The theme's page templates and their blocks that draw the same HTML for every page of a
#: place: the styles, scripts, footer and the config script (`__config`: the base URL and
#: the translations, as JSON) depend on the build's config and the page's relative links
#: only (the footer's previous and next links exist only for pages in the nav).
#: Only base.html's own blocks are wrapped: Jinja finds the block that a `super()` call
#: comes from by identity, so a block that calls `super()` (main.html's scripts) must stay
#: as compiled; what it calls in base.html is kept.
PAGE_TEMPLATES = ("base.html",)
PLACE_BLOCKS = ("styles", "libs", "fonts", "analytics", "footer", "config", "scripts")
#: The theme's table of contents, kept by the page's headings (`_toc_key`) ...
TOC_TEMPLATE = "partials/toc.html"
#: ... the last this many used.
TOC_KEPT = 256
#: `PAPERS_THEME_MEMO=0` draws the navigation of every page.
ENV_MEMO = "PAPERS_THEME_MEMO"


def enabled() -> bool:
    return os.environ.get(ENV_MEMO, "").strip() not in ("0", "false")


def memoise_nav(env: jinja2.Environment) -> None:
    """Make the navigation partials of `env`, and the blocks of its page templates that
    depend only on the page's place (`PLACE_BLOCKS`), reuse their HTML between pages
    outside the nav.

    `env` must not reload templates (the adapter turns auto_reload off for a build), so the
    wrapped templates are the ones every page includes.
    """
    url = env.filters.get("url")
    if url is None:
        return
    for name in NAV_TEMPLATES:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
        template.root_render_func = _memoised(template.root_render_func, url)
    for name in PAGE_TEMPLATES:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
        for block in PLACE_BLOCKS:
            if block in template.blocks:
                template.blocks[block] = _memoised(template.blocks[block], url)
    try:
        toc = env.get_template(TOC_TEMPLATE)
    except jinja2.TemplateNotFound:
        return
    toc.root_render_func = _by_headings(toc.root_render_func)


def _memoised(draw: Any, url: Any) -> Any:
    """`draw` kept by the place of the page it is drawn for (`_page_place`)."""
    return _kept(draw, lambda context: _page_place(context, url))


def _by_headings(draw: Any) -> Any:
    """`draw` (the table of contents) kept by the headings of the page it is drawn for,
    for the `TOC_KEPT` headings last used."""
    return _kept(draw, _headings_of, TOC_KEPT)


def _kept(draw: Any, key_of: Any, most: int | None = None) -> Any:
    """`draw` (a compiled template or block), its HTML kept by `key_of(context)` and drawn
    afresh when that is None; with `most`, only that many keys, the last used, are kept."""
    memo: OrderedDict[Any, str] = OrderedDict()

    def render(context: Any) -> Iterator[str]:
        key = key_of(context)
        if key is None:
            yield from draw(context)
            return
        found = memo.get(key)
        if found is None:
            found = memo[key] = "".join(draw(context))
            if most is not None and len(memo) > most:
                memo.popitem(last=False)
        elif most is not None:
            memo.move_to_end(key)
        yield found

    return render


def _headings_of(context: Any) -> tuple[Any, ...] | None:
    """The key of the page's table of contents (`_toc_key`), or None when it has none."""
    toc = getattr(context.get("page"), "toc", None)
    return None if toc is None else _toc_key(toc)


def _toc_key(items: Any) -> tuple[Any, ...]:
    """Everything the table of contents shows of each heading, its children's included:
    its anchor, title (and material's typeset title, when a plugin sets one) and level."""
    return tuple(
        (
            item.url,
            type(item.title).__name__,
            str(item.title),
            repr(getattr(item, "typeset", None)),
            item.level,
            _toc_key(item.children),
        )
        for item in items
    )


#: The place of the page being drawn: (page, nav, base_url, place). Every memoised template
#: and block asks for it, so it is worked out once a page (a dozen links each time).
_last: list[Any] = [None, None, None, None]


def _page_place(context: Any, url: Any) -> tuple[Any, ...] | None:
    """`_place` of the page in `context`, worked out once for the page being drawn."""
    page, nav, base = context.get("page"), context.get("nav"), context.get("base_url")
    if page is not None and _last[0] is page and _last[1] is nav and _last[2] == base:
        return _last[3]
    found = _place(context, url)
    _last[:] = [page, nav, base, found]
    return found


def _place(context: Any, url: Any) -> tuple[Any, ...] | None:
    """What the navigation of this page depends on, or None when it must be drawn."""
    page = context.get("page")
    nav = context.get("nav")
    if page is None or nav is None or getattr(page, "url", None) is None:
        return None
    pages = list(getattr(nav, "pages", ()))
    if any(item is page for item in pages):
        return None  # in the nav: items are active, the page's own entry differs
    homepage = getattr(getattr(nav, "homepage", None), "url", None)
    return (
        context.get("base_url"),
        url(context, "assets/"),
        url(context, homepage or "."),
        tuple(url(context, item.url) for item in pages),
    )
