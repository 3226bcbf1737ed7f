"""The companion-citation rules of data/companion-citations.yaml (audit5), validated by a pydantic schema
like the other data files (mends8) and loaded once with the Project (`project.companions`).

A rule: `id` (unique), `when` and `also` (lists of citations written ARTICLE[.CLAUSE[.POINT]]@NUMBER,
each checked against the registry), `about` (per language, a list of phrases) and `exception` (per
language, a text). Any problem stops `lawsite check` and the build with the file and line, in the
reader's language (data_* and companion_* messages), like figures and the registry. The check itself
(which blocks of a page break a rule) is lawsite/page/companions.py."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from lawsite.core.findings import Finding, Localized
from lawsite.core.settings import LANGS, DataError, validation_findings, yaml_finding
from lawsite.core.yamlio import YAMLError, load, locate
from lawsite.project.audit import CITE_RE, _check_cite

RULES_FILE = "data/companion-citations.yaml"


@dataclass(frozen=True)
class Unit:
    doc: str
    article: Optional[str]
    clause: Optional[str]
    point: Optional[str]

    @classmethod
    def parse(cls, spec: str) -> "Unit":
        m = CITE_RE.match(unicodedata.normalize("NFC", spec.strip()))
        pt = m.group("pt")
        return cls(m.group("doc"), m.group("art"), m.group("cl"), "đ" if pt == "dd" else pt)

    def equals(self, doc: str, p) -> bool:
        return (doc, p.article, p.clause, p.point) == (self.doc, self.article, self.clause, self.point)

    def holds(self, doc: str, p) -> bool:
        """The cited unit is this one or a part of it."""
        if doc != self.doc:
            return False
        for mine, theirs in ((self.article, p.article), (self.clause, p.clause), (self.point, p.point)):
            if mine is None:
                return True
            if mine != theirs:
                return False
        return True

    def words(self, registry) -> Localized:
        """The unit as a citation in each language, written by the citation grammar."""
        from lawsite.cite.model import Provision
        from lawsite.cite.names import citation_text

        doc = registry.get(self.doc)
        prov = Provision(self.article, self.clause, self.point)
        return Localized(**{lang: citation_text(doc, prov, lang) for lang in LANGS})


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[Unit, ...]
    also: tuple[Unit, ...]
    also_words: Localized  # the first `also` unit as a citation, in each language
    about: dict  # lang -> tuple of casefolded NFC phrases
    exception: dict  # lang -> text


def fold(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold()


# --- the schema ------------------------------------------------------------------------------------
_CITE_CODES = {"bad_cite": "lawsite_companion_cite", "unknown_doc": "lawsite_companion_doc",
               "unknown_provision": "lawsite_companion_provision"}


def _cite(v: str, info: ValidationInfo) -> str:
    v = unicodedata.normalize("NFC", v).strip()
    code = _check_cite(v, (info.context or {})["registry"])
    if code:
        raise PydanticCustomError(_CITE_CODES[code], "bad citation", {"value": v})
    return v


def _text(v: str) -> str:
    v = unicodedata.normalize("NFC", v).strip()
    if not v:
        raise PydanticCustomError("string_too_short", "empty", {})
    return v


Cite = Annotated[StrictStr, AfterValidator(_cite)]
Text = Annotated[StrictStr, AfterValidator(_text)]


def _every_language(v: dict) -> dict:
    if set(v) != set(LANGS):
        raise PydanticCustomError("lawsite_companion_langs", "every language", {"langs": ", ".join(LANGS)})
    return v


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Text
    when: list[Cite] = Field(min_length=1)
    also: list[Cite] = Field(min_length=1)
    about: Annotated[dict[str, Annotated[list[Text], Field(min_length=1)]], AfterValidator(_every_language)]
    exception: Annotated[dict[str, Text], AfterValidator(_every_language)]


class RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[RuleModel]


RULE_KEYS = list(RuleModel.model_fields)


def _in_words(f: Finding, data: dict) -> Finding:
    """'rules.0.also.1' -> rule 'exit-suspension-special-case', key 'also' (the value is in the detail);
    a problem of the file as a whole keeps the plain data_* message."""
    parts = f.params.get("key", "").split(".")
    if len(parts) < 3 or parts[0] != "rules" or not parts[1].isdigit():
        f.code = f.code.replace("companion_", "data_")
        return f
    raw = data["rules"][int(parts[1])]
    rid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw.get("id") else f"#{int(parts[1]) + 1}"
    rest = parts[2:]
    while len(rest) > 1 and rest[-1].isdigit():  # a list item: its value is quoted in the detail
        rest.pop()
    f.params = {**f.params, "rule": rid, "key": ".".join(rest)}
    return f


def parse_rules(text: str, registry, shown: str = RULES_FILE) -> list[Rule]:
    """The rules of a companion-citations file's text; DataError (findings with file:line) if bad."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff")).replace("\r\n", "\n")
    try:
        data = load(text)
    except YAMLError as e:
        raise DataError([yaml_finding(shown, e)]) from None
    if not isinstance(data, dict):
        raise DataError([Finding(shown, 1, 1, "error", "data_not_mapping",
                                 {"got": type(data).__name__, "example": "rules:\\n  - id: …\\n    when: [\"26@49/2019/QH14\"]"})])
    n = len(data.get("rules") or []) if isinstance(data.get("rules"), list) else 0
    known = {(): ["rules"], **{("rules", i): RULE_KEYS for i in range(n)}}
    try:
        parsed = RulesFile.model_validate(data, context={"registry": registry})
    except ValidationError as e:
        raise DataError([_in_words(f, data) for f in validation_findings(shown, text, e, code="companion_bad_value",
                                                                          known=known)]) from None
    problems, first, out = [], {}, []
    for i, r in enumerate(parsed.rules):
        if r.id in first:
            problems.append(Finding(shown, locate(text, ("rules", i, "id")), 1, "error", "companion_duplicate_id",
                                    {"id": r.id, "first": first[r.id]}))
            continue
        first[r.id] = locate(text, ("rules", i, "id"))
        when, also = tuple(Unit.parse(s) for s in r.when), tuple(Unit.parse(s) for s in r.also)
        out.append(Rule(r.id, when, also, also[0].words(registry),
                        {lang: tuple(fold(x) for x in r.about[lang]) for lang in LANGS},
                        {lang: r.exception[lang] for lang in LANGS}))
    if problems:
        raise DataError(problems)
    return out


def load_companions(path: Path, root: Path, registry) -> list[Rule]:
    """data/companion-citations.yaml (an absent file: no rule)."""
    from lawsite.core.paths import shown_path

    if not path.is_file():
        return []
    shown = shown_path(path, root)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError([Finding(shown, 1, 1, "error", "data_not_utf8", {"offset": e.start})]) from None
    return parse_rules(text, registry, shown)
