"""Visa exemptions by nationality (data/visa-exemptions.yaml): loaded and checked once, then written
into the pages that show them, so the visa-exemption page and the "Do I need a visa?" tool cannot
disagree.

- ``load_visa`` validates the file with pydantic (unknown keys, types, dates) and against the rest of
  the project: every resolution and stay provision is a citation of a document in data/registry/
  whose dates match, every stay is a figure of data/figures/, every country code of a group has its
  names. Problems are findings with the file's line (``DataError``), never a traceback.
- ``expand_markers`` replaces ``<!-- visa-exemptions -->`` (the list, one block per resolution in
  force on the build date) and ``<!-- visa-countries -->`` (the tool's ``<option>`` elements, one per
  nationality, in the page's language and alphabetical order) in a page body. Each marker becomes
  ONE line, so the lines of everything after it (and the checker's file:line) do not move; the
  generated text goes through the page's normal checks: citations are parsed, validated and linked,
  ``{{ figures }}`` rendered.

The words come from lawsite/labels.yaml (``visa_list``); the names of countries from the data file.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from lawsite.core.findings import Finding
from lawsite.core.l10n import format_date
from lawsite.core.settings import DataError, read_yaml, validation_findings
from lawsite.core.yamlio import locate

FILE = "visa-exemptions.yaml"
MARKER_LIST = "<!-- visa-exemptions -->"
MARKER_OPTIONS = "<!-- visa-countries -->"
_CODE = re.compile(r"^[A-Z]{2}$")
_ID = re.compile(r"^[a-z0-9-]{1,40}$")


def _code(v):
    if isinstance(v, bool):  # YAML reads NO (Norway) as false
        raise PydanticCustomError("lawsite_bool_code", "a country code, not true/false", {})
    if not isinstance(v, str) or not _CODE.match(v):
        raise PydanticCustomError("lawsite_country_code", "two capital letters", {"value": str(v)})
    return v


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: StrictStr
    resolution: StrictStr
    purpose: Literal["any", "tourism"]
    any_passport_type: StrictBool = False  # the resolution applies whatever the passport type
    start: dt.date
    last_day: dt.date
    stay: StrictStr
    stay_basis: StrictStr
    confidence: Literal["VT", "SS"]
    verified_source: Optional[StrictStr] = None
    countries: list[str]

    @field_validator("id")
    @classmethod
    def _id(cls, v):
        if not _ID.match(v):
            raise PydanticCustomError("lawsite_visa_id", "letters, digits and '-'", {"value": v})
        return v

    @field_validator("countries", mode="before")
    @classmethod
    def _codes(cls, v):
        if not isinstance(v, list) or not v:
            raise PydanticCustomError("lawsite_visa_countries", "a list of country codes", {})
        return [_code(c) for c in v]


class VisaFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reviewed: dt.date
    groups: list[Group]
    countries: dict[str, dict[str, StrictStr]]

    @field_validator("countries", mode="before")
    @classmethod
    def _keys(cls, v):
        if isinstance(v, dict):
            for k in v:
                _code(k)
        return v


@dataclass
class VisaData:
    reviewed: dt.date
    groups: list[Group]
    countries: dict[str, dict[str, str]]
    path: str

    def group_of(self, code: str) -> Optional[Group]:
        return next((g for g in self.groups if code in g.countries), None)

    def in_force(self, on: dt.date) -> list[Group]:
        return [g for g in self.groups if g.start <= on <= g.last_day]


def _parse_one(project_registry, text: str):
    """The single citation in `text` resolved against the registry, or None."""
    from lawsite.cite.parse import get_parser
    from lawsite.cite.resolve import resolve

    cites = get_parser("vi").parse(text)
    if len(cites) != 1:
        return None
    resolve(cites, project_registry, [])
    return cites[0] if cites[0].document is not None and cites[0].end - cites[0].start >= len(text.strip()) - 1 else None


def load_visa(folder: Path, root: Path, registry, figures, langs=("vi", "en")) -> Optional[VisaData]:
    """data/visa-exemptions.yaml checked (None when the file does not exist); DataError listing every
    problem with its line."""
    from lawsite.core.paths import shown_path

    path = folder / FILE
    if not path.is_file():
        return None
    shown = shown_path(path, root)
    data, text = read_yaml(path, shown)
    try:
        vf = VisaFile.model_validate(data if data is not None else {})
    except ValidationError as e:
        known = {(): list(VisaFile.model_fields)}
        for i in range(len((data or {}).get("groups") or []) if isinstance(data, dict) else 0):
            known[("groups", i)] = list(Group.model_fields)
        raise DataError(validation_findings(shown, text, e, known=known))
    problems: list[Finding] = []

    def at(*loc) -> int:
        return locate(text, loc)

    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for code, names in vf.countries.items():
        for lang in langs:
            if not str(names.get(lang) or "").strip():
                problems.append(Finding(shown, at("countries", code), 1, "error", "visa_no_name", {"code": code, "lang": lang}))
        if any(ch in "".join(names.values()) for ch in "<>"):
            problems.append(Finding(shown, at("countries", code), 1, "error", "visa_markup", {"code": code}))
    for i, g in enumerate(vf.groups):
        if g.id in seen_ids:
            problems.append(Finding(shown, at("groups", i, "id"), 1, "error", "visa_twice", {"what": g.id}))
        seen_ids.add(g.id)
        if g.last_day < g.start:
            problems.append(Finding(shown, at("groups", i, "last_day"), 1, "error", "visa_dates_order",
                                    {"start": g.start.isoformat(), "last": g.last_day.isoformat()}))
        if g.confidence == "SS" and not (g.verified_source or "").strip():
            problems.append(Finding(shown, at("groups", i, "confidence"), 1, "error", "visa_no_source", {"group": g.id}))
        res = _parse_one(registry, g.resolution)
        if res is None:
            problems.append(Finding(shown, at("groups", i, "resolution"), 1, "error", "visa_bad_citation", {"text": g.resolution}))
        else:
            doc = res.document
            if doc.effective and doc.effective != g.start:
                problems.append(Finding(shown, at("groups", i, "start"), 1, "error", "visa_registry_date",
                                        {"field": "start", "value": g.start.isoformat(), "number": doc.number,
                                         "expected": doc.effective.isoformat()}))
            if doc.end and doc.end != g.last_day + dt.timedelta(days=1):
                problems.append(Finding(shown, at("groups", i, "last_day"), 1, "error", "visa_registry_date",
                                        {"field": "last_day", "value": g.last_day.isoformat(), "number": doc.number,
                                         "expected": (doc.end - dt.timedelta(days=1)).isoformat()}))
        basis = _parse_one(registry, g.stay_basis)
        if basis is None or not basis.provisions:
            problems.append(Finding(shown, at("groups", i, "stay_basis"), 1, "error", "visa_bad_citation", {"text": g.stay_basis}))
        fig = figures.get(g.stay)
        if fig is None or fig.kind != "days":
            problems.append(Finding(shown, at("groups", i, "stay"), 1, "error", "visa_bad_figure", {"key": g.stay}))
        for j, code in enumerate(g.countries):
            if code not in vf.countries:
                problems.append(Finding(shown, at("groups", i, "countries", j), 1, "error", "visa_unknown_country", {"code": code}))
            elif code in owner:
                problems.append(Finding(shown, at("groups", i, "countries", j), 1, "error", "visa_country_two_groups",
                                        {"code": code, "first": owner[code]}))
            else:
                owner[code] = g.id
    if problems:
        raise DataError(problems)
    return VisaData(vf.reviewed, vf.groups, vf.countries, shown)


# --- rendering --------------------------------------------------------------------------------
def _labels(lang: str) -> dict:
    from lawsite.core.l10n import labels

    return labels()["visa_list"][lang]


def sort_key(name: str) -> tuple:
    """Alphabetical order for Vietnamese and English names: base letters first (Đ after D), then
    the marks, so "Úc" sits among the U's and "Đức" after every D."""
    name = unicodedata.normalize("NFC", name).casefold()
    base = unicodedata.normalize("NFD", name.replace("đ", "d\uffff"))
    letters = "".join(ch for ch in base if not unicodedata.combining(ch))
    return (letters, base, name)


def _citation(registry, text: str, lang: str) -> str:
    from lawsite.cite.names import citation_text

    c = _parse_one(registry, text)
    return citation_text(c.document, c.provisions[0] if c.provisions else None, lang)


def exemption_list(visa: VisaData, registry, lang: str, today: dt.date) -> str:
    """The list, on one line of HTML: one block per group in force on `today`, its countries in the
    page's language, dates, citations (plain text: the page links and checks them), the stay as a
    ``{{ figure }}`` and, for a list from a secondary source, a note saying so."""
    lab = _labels(lang)
    fd = lambda d: format_date(d, lang)  # noqa: E731
    out = ['<div class="lawsite-visa-list" id="visa-list">']
    for g in visa.in_force(today):
        names = sorted(((visa.countries[c][lang], c) for c in g.countries), key=lambda t: sort_key(t[0]))
        title = lab["title_" + g.purpose].format(n=len(g.countries))
        sentence = lab["sentence"].format(
            purpose=lab["purpose_" + g.purpose] + (lab["any_passport"] if g.any_passport_type else ""),
            start=f'<time class="lawsite-visa-start" datetime="{g.start.isoformat()}">{fd(g.start)}</time>',
            last=f'<time class="lawsite-visa-last" datetime="{g.last_day.isoformat()}">{fd(g.last_day)}</time>',
            resolution=f'<span class="lawsite-visa-resolution">{html.escape(_citation(registry, g.resolution, lang))}</span>',
            stay=f'<span class="lawsite-visa-stay">{{{{ {g.stay} }}}}</span>',
            basis=f'<span class="lawsite-visa-basis">{html.escape(_citation(registry, g.stay_basis, lang))}</span>')
        out.append(f'<div class="lawsite-visa-group lawsite-visa-group--{g.purpose}" id="visa-{g.id}">'
                   f'<p><strong>{html.escape(title)}</strong> {sentence}</p>'
                   '<ul class="lawsite-visa-countries">'
                   + "".join(f'<li id="visa-country-{c.lower()}">{html.escape(n)}</li>' for n, c in names)
                   + "</ul>")
        if g.confidence != "VT":
            out.append(f'<p class="lawsite-visa-confidence"><em>{html.escape(lab["secondary"])}</em></p>')
        out.append("</div>")
    out.append(f'<p class="lawsite-visa-reviewed">{html.escape(lab["reviewed"].format(date=fd(visa.reviewed)))}</p>')
    out.append("</div>")
    return "".join(out)


def country_options(visa: VisaData, lang: str) -> str:
    """Every nationality as an <option> (value: the ISO code), in the page's language and order."""
    names = sorted(((n[lang], c) for c, n in visa.countries.items()), key=lambda t: sort_key(t[0]))
    return "".join(f'<option value="{c}">{html.escape(n)}</option>' for n, c in names)


def expand_markers(body: str, project, lang: str) -> str:
    """The page body with its visa markers replaced (each by one line); unchanged without markers."""
    if "<!-- visa-" not in body:
        return body
    visa = getattr(project, "visa", None)
    if visa is None:
        return body  # no data file: the marker stays a comment (hidden)
    if MARKER_LIST in body:
        body = body.replace(MARKER_LIST, exemption_list(visa, project.registry, lang, project.today))
    if MARKER_OPTIONS in body:
        body = body.replace(MARKER_OPTIONS, country_options(visa, lang))
    return body
