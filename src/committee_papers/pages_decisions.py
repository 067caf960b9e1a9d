"""The pages of decisions: the register, decision records, the forward plan, issue histories
and notices. `pages.py` asks for them with its own `spec` factory, so they are ordinary
generated pages drawn by the templates in `macros/decisions.html`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from . import decisions
from .model import Issue, Papers
from .policy import Policy
from .render import Renderer

TEMPLATE = "decisions.html"


def decision_pages(
    papers: Papers, policy: Policy, r: Renderer, spec: Callable[..., Any]
) -> Iterator[Any]:
    site = papers.site.council

    def page(name: str, *args: Any) -> Callable[[str], str]:
        return lambda base: r.call(TEMPLATE, name, base, *args)

    yield spec(
        "decisions",
        "Decisions",
        "decisions",
        page("register_page"),
        f"Every published decision of {site}: committees, Cabinet, members and officers.",
    )
    for record in sorted(papers.decisions.values(), key=lambda d: d.id):
        if decisions.show_record(policy, record):
            yield spec(
                record,
                f"Decision: {record.title}",
                "decision",
                page("record_page", record),
                f"Record of the decision on {record.title}.",
            )
    yield spec(
        "forward-plan",
        "Forward plan",
        "forward-plan",
        page("plan_index"),
        f"Key decisions {site} expects to take, by month.",
    )
    for month in decisions.plan_months(papers):
        yield spec(
            month,
            f"Forward plan: {month.title}",
            "forward-plan-month",
            page("plan_month_page", month),
            f"Key decisions expected in {month.title}.",
        )
    for report in decisions.issue_reports(papers, policy):
        yield spec(
            Issue(report.id),
            f"Issue: {report.title}",
            "issue",
            page("issue_page", report),
            f"How {report.title} went from body to body, and what each decided.",
        )
    yield spec(
        "notices",
        "Notices",
        "notices",
        page("notices_page"),
        f"Notices of private meetings and urgent decisions of {site}.",
    )
