"""The acts of Article 21 of Decree 282/2025/NĐ-CP, written once in data/penalty-acts.yaml, and the
blocks generated from them: the penalty table (docs/vi-pham/bang-muc-phat*.md) and the "Which
penalty?" tool with its fallback table (docs/cong-cu/muc-phat*.md). One source, so the tool and the
table cannot disagree.

Loading (with the project): the file is validated by the models below; every problem is a finding
with file:line (Vietnamese by default), never a traceback. Beyond the schema: act ids are unique,
every provision exists in the registry (decree and Penal Code), every fine key is a VND range in
data/figures/ whose source names the act's clause, every crime article has its sentence, every provision named by an additional
penalty or the remedial measure belongs to at least one act.

Rendering: a page line that is exactly a marker is replaced, BEFORE the page is checked, by one line
of HTML (so line numbers of the rest of the page do not move):

    <!-- penalty-acts: who -->       the reader's choices (radio buttons)        tool page only
    <!-- penalty-acts: all -->       every act, with the tool's data attributes  tool page only
    <!-- penalty-acts: khoan 3 -->   the acts of one clause                      any page

The generated HTML holds figures as {{ key }} and citations as plain citation text ("điểm a khoản 3
Điều 21 Nghị định số 282/2025/NĐ-CP"), so the page pipeline checks and renders them like any
hand-written sentence (figures, citations as of the page's review date, safety allow-list, parity of
the translation). Words of the table come from lawsite/labels.yaml (`penalty_acts`)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError, field_validator

from lawsite.core.findings import Finding
from lawsite.core.settings import DataError, Text, read_yaml, validation_findings
from lawsite.core.yamlio import locate

DATA_FILE = "penalty-acts.yaml"
Who = Literal["citizen", "foreigner", "organisation", "lodging"]
WHO_ORDER = ["citizen", "foreigner", "organisation", "lodging"]
PROVISION_RE = re.compile(r"^(?P<cl>\d{1,2})(?:\.(?P<pt>[a-zđ]))?$")
MARKER_RE = re.compile(r"^[ \t]*<!--[ \t]*penalty-acts:[ \t]*(?P<what>[^>]*?)[ \t]*-->[ \t]*$", re.M)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Words(_Strict):
    vi: Text = Field(min_length=1)
    en: Text = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The words in `lang`, the default language's where the file has none (mends9)."""
        from lawsite.core.l10n import default_language

        return getattr(self, lang, None) or getattr(self, default_language())


class WhoWords(Words):
    short: Words


class Measure(_Strict):
    id: StrictStr = Field(pattern=r"^[a-z0-9-]{1,40}$")
    provision: StrictStr
    applies_to: list[StrictStr] = Field(min_length=1)
    only: Optional[Who] = None
    label: Words


class Act(_Strict):
    id: StrictStr = Field(pattern=r"^[a-z0-9-]{1,40}$")
    provision: StrictStr
    who: list[Who] = Field(min_length=1)
    fine: Optional[StrictStr] = None
    warning: StrictBool = False
    crime: Optional[StrictStr] = None
    label: Words

    @field_validator("provision", "crime")
    @classmethod
    def _nfc(cls, v):
        import unicodedata

        return unicodedata.normalize("NFC", v) if isinstance(v, str) else v


class ActsFile(_Strict):
    decree: StrictStr = "282/2025/NĐ-CP"
    article: StrictStr = "21"
    penal_code: StrictStr = "100/2015/QH13"
    who: dict[Who, WhoWords]
    crimes: dict[StrictStr, Words] = Field(default_factory=dict)
    additional: list[Measure] = Field(default_factory=list)
    remedial: list[Measure] = Field(default_factory=list)
    acts: list[Act] = Field(min_length=1)


KNOWN = {(): list(ActsFile.model_fields)}


@dataclass
class PenaltyActs:
    data: ActsFile
    path: str  # as messages show it
    registry: object = None  # the project's registry (citation names)

    @property
    def acts(self) -> list[Act]:
        return self.data.acts

    def measures(self, act: Act) -> list[tuple[str, Measure]]:
        """("additional" | "remedial", measure) that apply to the act, in the decree's order."""
        out = []
        for kind, items in (("additional", self.data.additional), ("remedial", self.data.remedial)):
            for m in items:
                if any(_covers(p, act.provision) for p in m.applies_to):
                    out.append((kind, m))
        return out

    def clauses(self) -> list[str]:
        seen: list[str] = []
        for a in self.acts:
            c = a.provision.split(".")[0]
            if c not in seen:
                seen.append(c)
        return seen


def _covers(named: str, provision: str) -> bool:
    """'4' covers '4', '4.a', '4.b'; '3.b' covers only '3.b'."""
    return provision == named or provision.startswith(named + ".")


def _split(provision: str) -> tuple[str, Optional[str]]:
    cl, _, pt = provision.partition(".")
    return cl, (pt or None)


# --- loading ----------------------------------------------------------------------------------

def load_penalty_acts(path: Path, registry, figures, root: Optional[Path] = None) -> Optional[PenaltyActs]:
    """data/penalty-acts.yaml, validated; None when the file does not exist. DataError with every problem."""
    from lawsite.core.paths import shown_path

    if not path.is_file():
        return None
    shown = shown_path(path, root) if root else path.as_posix()
    data, text = read_yaml(path, shown)
    if not isinstance(data, dict):
        raise DataError([Finding(shown, 1, 1, "error", "data_not_mapping",
                                 {"got": type(data).__name__, "example": "acts:\\n  - id: …\\n    provision: \"3.a\""})])
    try:
        model = ActsFile.model_validate(data)
    except ValidationError as e:
        known = dict(KNOWN)
        for i in range(len(data.get("acts") or []) if isinstance(data.get("acts"), list) else 0):
            known[("acts", i)] = list(Act.model_fields)
        for sec in ("additional", "remedial"):
            for i in range(len(data.get(sec) or []) if isinstance(data.get(sec), list) else 0):
                known[(sec, i)] = list(Measure.model_fields)
        raise DataError(validation_findings(shown, text, e, known=known))
    problems = _semantic_findings(model, text, shown, registry, figures)
    if problems:
        raise DataError(problems)
    return PenaltyActs(model, shown, registry)


def _semantic_findings(m: ActsFile, text: str, shown: str, registry, figures) -> list[Finding]:
    out: list[Finding] = []

    def err(loc, code, **params):
        out.append(Finding(shown, locate(text, loc), 1, "error", code, params))

    decree = registry.get(m.decree)
    penal = registry.get(m.penal_code)
    if decree is None:
        err(("decree",), "pen_unknown_document", number=m.decree)
    if penal is None:
        err(("penal_code",), "pen_unknown_document", number=m.penal_code)
    article = decree.article(m.article) if decree is not None else None
    if decree is not None and article is None:
        err(("article",), "pen_unknown_provision", provision=m.article, doc=m.decree)

    def exists(provision: str) -> bool:
        if article is None:
            return True  # reported above
        mt = PROVISION_RE.match(provision)
        if not mt:
            return False
        cl = next((c for c in (article.clauses or []) if c.number == mt.group("cl")), None)
        if cl is None:
            return False
        return mt.group("pt") is None or any(p.letter == mt.group("pt") for p in cl.points)

    def cite_name(provision: str) -> str:
        return f"{provision} ({m.article}.{provision}@{m.decree})"

    for w in WHO_ORDER:
        if w not in m.who:
            err(("who",), "pen_who_missing", who=w)
    first: dict[str, int] = {}
    for i, a in enumerate(m.acts):
        if a.id in first:
            err(("acts", i, "id"), "pen_duplicate_id", id=a.id, first=first[a.id])
        else:
            first[a.id] = locate(text, ("acts", i, "id"))
        if not exists(a.provision):
            err(("acts", i, "provision"), "pen_unknown_provision", provision=cite_name(a.provision), doc=m.decree)
        if len(set(a.who)) != len(a.who):
            err(("acts", i, "who"), "pen_who_twice", id=a.id)
        if a.fine is not None:
            fig = figures.get(a.fine)
            if fig is None or fig.kind != "vnd_range":
                err(("acts", i, "fine"), "pen_bad_fine", key=a.fine)
            elif not _source_names_clause(fig.source, a.provision, m):
                err(("acts", i, "fine"), "pen_fine_clause", key=a.fine, provision=a.provision,
                    clause=a.provision.split(".")[0], source=fig.source)
        if a.crime is not None:
            if a.crime not in m.crimes:
                err(("acts", i, "crime"), "pen_crime_unknown", article=a.crime)
            elif penal is not None and penal.article(a.crime) is None:
                err(("acts", i, "crime"), "pen_unknown_provision", provision=a.crime, doc=m.penal_code)
    for art in m.crimes:
        if penal is not None and penal.article(art) is None:
            err(("crimes", art), "pen_unknown_provision", provision=art, doc=m.penal_code)
    for sec in ("additional", "remedial"):
        for i, meas in enumerate(getattr(m, sec)):
            if not exists(meas.provision):
                err((sec, i, "provision"), "pen_unknown_provision", provision=cite_name(meas.provision), doc=m.decree)
            for j, p in enumerate(meas.applies_to):
                if not exists(p):
                    err((sec, i, "applies_to", j), "pen_unknown_provision", provision=cite_name(p), doc=m.decree)
                elif not any(_covers(p, a.provision) for a in m.acts):
                    err((sec, i, "applies_to", j), "pen_measure_no_act", provision=p, id=meas.id)
    return out


def _source_names_clause(source: str, provision: str, m: ActsFile) -> bool:
    """True when a fine figure's source (data/figures/) names the clause of the act's provision in the
    same article and decree, e.g. "khoản 3 Điều 21 Nghị định số 282/2025/NĐ-CP" for "3.a": a fine key
    copied from a neighbouring act of another clause is caught here."""
    import unicodedata

    src = " ".join(unicodedata.normalize("NFC", source or "").split())
    clause = provision.split(".")[0]
    want = rf"(?<!\w)khoản {re.escape(clause)} Điều {re.escape(m.article)} Nghị định số {re.escape(m.decree)}(?![\w/])"
    return re.search(want, src, re.I) is not None


# --- rendering --------------------------------------------------------------------------------

def _labels(lang: str) -> dict:
    from lawsite.core.l10n import L

    return L(lang)["penalty_acts"]


def _cite(pa: PenaltyActs, provision: str, lang: str) -> str:
    """The citation text of a point of the article (the page pipeline links and checks it)."""
    from lawsite.cite.model import Provision

    cl, pt = _split(provision)
    return _citation(pa, pa.data.decree, Provision(pa.data.article, cl, pt), lang)


def _citation(pa: PenaltyActs, number: str, prov, lang: str) -> str:
    from lawsite.cite.names import citation_text

    return citation_text(pa.registry.get(number), prov, lang)


def _who_text(pa: PenaltyActs, act: Act, lang: str) -> str:
    return ", ".join(html.escape(getattr(pa.data.who[w].short, lang)) for w in WHO_ORDER if w in act.who)


def _fine_html(act: Act, lang: str, tool: bool) -> str:
    lab = _labels(lang)
    if act.fine is None:
        return html.escape(lab["no_fine"])
    if tool:
        amount = (f'<span class="lawsite-acts__amount"><span data-min>{{{{ {act.fine}.min }}}}</span> – '
                  f"<span data-max>{{{{ {act.fine}.max }}}}</span></span>")
    else:
        amount = f"{{{{ {act.fine} }}}}"
    return (html.escape(lab["warning_or"]) + " " + amount) if act.warning else amount


def _extra_html(pa: PenaltyActs, act: Act, lang: str, tool: bool) -> str:
    from lawsite.cite.model import Provision

    lab = _labels(lang)
    items = []
    for kind, meas in pa.measures(act):
        if meas.only and meas.only not in act.who:
            continue
        attrs = f' data-extra="{meas.id}"' + (f' data-only="{meas.only}"' if meas.only else "") if tool else ""
        items.append(f"<li{attrs}>{html.escape(meas.label.get(lang))} ({_cite(pa, meas.provision, lang)})</li>")
    if act.crime:
        words = html.escape(getattr(pa.data.crimes[act.crime], lang))
        cite = _citation(pa, pa.data.penal_code, Provision(act.crime), lang)
        attrs = f' data-crime="{act.crime}"' if tool else ""
        items.append(f'<li{attrs}>{html.escape(lab["crime"])}: <span class="lawsite-acts__crime">{words} ({cite})</span></li>')
    if not items:
        return html.escape(lab["none"])
    return "<ul>" + "".join(items) + "</ul>"


def acts_table(pa: PenaltyActs, lang: str, *, clause: Optional[str] = None, tool: bool = False) -> str:
    """One line of HTML: the acts (of one clause, or all) with who, fine, what else may follow, basis."""
    lab = _labels(lang)
    acts = [a for a in pa.acts if clause is None or _split(a.provision)[0] == clause]
    caption = lab["caption_all"] if clause is None else lab["caption_clause"].format(clause=clause)
    cols = [lab["col_act"], lab["col_fine"], lab["col_extra"], lab["col_basis"]]
    tid = "penalty-acts" if clause is None else f"penalty-acts-{clause}"
    out = [f'<table class="lawsite-acts" id="{tid}"' + (" data-penalty-acts" if tool else "") + ">",
           f"<caption>{html.escape(caption)}</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{html.escape(c)}</th>' for c in cols) + "</tr></thead><tbody>"]
    for a in acts:
        cl, pt = _split(a.provision)
        prov = f"{pa.data.article}.{a.provision}"
        attrs = f' id="hv-{a.id}" data-provision="{prov}"'
        if tool:
            attrs += f' data-act="{a.id}" data-who="{" ".join(w for w in WHO_ORDER if w in a.who)}"'
            if a.warning:
                attrs += ' data-warning="yes"'
        out.append(
            f"<tr{attrs}>"
            f"<td><span{' data-label' if tool else ''}>{html.escape(a.label.get(lang))}</span>"
            f'<br><small>{html.escape(lab["applies_to"])}: {_who_text(pa, a, lang)}</small></td>'
            f"<td{' data-fine' if tool else ''}>{_fine_html(a, lang, tool)}</td>"
            f"<td>{_extra_html(pa, a, lang, tool)}</td>"
            f"<td{' data-basis' if tool else ''}>{_cite(pa, a.provision, lang)}</td>"
            "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def who_choices(pa: PenaltyActs, lang: str) -> str:
    """One line of HTML: one radio button per kind of reader, in a fixed order."""
    out = []
    for w in WHO_ORDER:
        out.append(f'<p class="lawsite-tool__choice"><input type="radio" name="penalty-who" id="penalty-who-{w}" data-who="{w}">'
                   f' <label for="penalty-who-{w}">{html.escape(getattr(pa.data.who[w], lang))}</label></p>')
    return "".join(out)


def expand_markers(project, body: str, lang: str, path: str, body_line: int, *, tool: bool) -> tuple[str, list[Finding]]:
    """Replace each `<!-- penalty-acts: … -->` line of a page body by its one-line block."""
    if "penalty-acts:" not in body:
        return body, []
    pa: Optional[PenaltyActs] = getattr(project, "penalty_acts", None)
    findings: list[Finding] = []

    def repl(mt: re.Match) -> str:
        what = " ".join(mt.group("what").split()).lower()
        line = body.count("\n", 0, mt.start()) + body_line
        if pa is None:
            findings.append(Finding(path, line, 1, "error", "pen_no_data", {"file": f"data/{DATA_FILE}"}))
            return ""
        cm = re.fullmatch(r"(?:khoan|clause) (\d{1,2})", what)
        if cm and cm.group(1) in pa.clauses():
            return acts_table(pa, lang, clause=cm.group(1))
        if what in ("all", "who") and not tool:
            findings.append(Finding(path, line, 1, "error", "pen_marker_tool_only", {"marker": what}))
            return ""
        if what == "all":
            return acts_table(pa, lang, tool=True)
        if what == "who":
            return who_choices(pa, lang)
        findings.append(Finding(path, line, 1, "error", "pen_bad_marker",
                                {"marker": mt.group("what").strip(), "clauses": ", ".join(pa.clauses())}))
        return ""

    return MARKER_RE.sub(repl, body), findings
