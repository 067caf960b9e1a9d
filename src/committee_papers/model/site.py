"""Site settings: the council, its jurisdiction's rules, its contact details."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from ..schemes import SafeUrl
from .base import Strict

#: The site's own address is printed by MkDocs into links without escaping: plain characters only.
_SITE_ADDRESS = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/-]*)?$")


class Contact(Strict):
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    web: SafeUrl | None = None


class Jurisdiction(Strict):
    """Publication rules of one nation or tier, kept as data (see jurisdictions.yml)."""

    name: str
    #: Whose bank holidays count when clear working days are counted (see workdays.py).
    nation: Literal["england", "wales", "scotland", "northern-ireland"] = "england"
    clear_days: int = Field(ge=0)
    exempt_paragraphs: dict[str, str]
    exempt_schedule: str
    exclusion_statute: str


class Signatory(Strict):
    name: str
    title: str


class Accessibility(Strict):
    """Facts for the accessibility statement that public bodies must publish."""

    statement_prepared: dt.date
    last_reviewed: dt.date | None = None
    contact_for_alternative_formats: str | None = None
    contact_for_problems: str | None = None
    response_days: int | None = Field(default=None, ge=1)


class Site(Strict):
    council: str
    short_name: str | None = None
    language: Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")] = "en-GB"
    jurisdiction: Jurisdiction
    contact: Contact = Contact()
    logo: str | None = None
    chief_executive: Signatory | None = None
    role_labels: dict[str, str] = Field(default_factory=dict)
    accessibility: Accessibility | None = None
    report_sections: list[str] = Field(
        default_factory=list, description="headings of a new report (`papers new report`)"
    )
    # The site's identity (name, address, footer, home and about pages), so one mkdocs.yml
    # serves every council: the MkDocs adapter copies these into its config.
    site_name: str | None = None
    site_url: SafeUrl | None = None
    description: str | None = None
    footer: str | None = None
    intro: str | None = None
    about: str | None = None
    documentation: bool = False

    call_in_days: int = Field(
        default=5, ge=0, description="working days after a decision is published for call-in"
    )

    @field_validator("site_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not _SITE_ADDRESS.match(value):
            raise ValueError(
                f"{value!r} is not a web address (expected https://..., e.g. "
                "https://papers.example.gov.uk/)"
            )
        return value

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.council

    @property
    def title(self) -> str:
        """The site's name, in the header and every page title."""
        return self.site_name or f"{self.council} committee papers"

    @property
    def summary(self) -> str:
        """One sentence about the site, for search engines and the home page."""
        return self.description or f"Agendas, reports, minutes and decisions of {self.council}."

    @property
    def footer_line(self) -> str:
        return self.footer or self.council
