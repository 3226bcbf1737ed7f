"""Validate: check each resolved citation against the registry as of a date.

- unknown document, article, clause or point -> error naming what does exist;
- a unit that did not exist on that date, or was repealed -> error;
- a document not in force on that date -> error naming its successor and the date;
- a provision amended after the page's review date (and by today) -> warning;
- a change recorded for a date after today -> info (the page shows a notice).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from lawsite.core.findings import Localized
from lawsite.core.l10n import format_date
from lawsite.project.registry import Article, Clause, Document, Registry
from lawsite.cite.model import Citation, Provision
from lawsite.cite.names import compress, doc_name, doc_names, provision_names
from lawsite.cite.resolve import Problem


def _by(b: Optional[str]) -> Localized:
    if not b:
        return Localized(vi="", en="")
    return Localized(vi=f" bởi {b}", en=f" by {b}")


def _successor(doc: Document, registry: Registry) -> Localized:
    if not doc.replaced_by:
        return Localized(vi="", en="")
    succ = registry.get(doc.replaced_by.number)
    vi = f", được thay thế bởi {doc_name(succ, 'vi') if succ else doc.replaced_by.number} từ {format_date(doc.replaced_by.date, 'vi')}"
    en = f"; it was replaced by {doc_name(succ, 'en') if succ else doc.replaced_by.number} from {format_date(doc.replaced_by.date, 'en')}"
    return Localized(vi=vi, en=en)


def _changes(doc: Document, p: Provision) -> list[tuple[dt.date, str]]:
    """Dated changes that touch this provision: the unit, its ancestors and its descendants."""
    out = []
    art = doc.article(p.article) if p.article else None
    units = []
    if art:
        units.append(art)
        clauses = art.clauses or []
        if p.clause:
            cl = next((c for c in clauses if c.number == p.clause), None)
            if cl:
                units.append(cl)
                pts = [x for x in cl.points if x.letter == p.point] if p.point else cl.points
                units.extend(pts)
        else:
            for cl in clauses:
                units.append(cl)
                units.extend(cl.points)
    def by_on(day: dt.date, by: Optional[str]) -> str:
        # a unit added or repealed without its own "by": the document's amending act(s) of that date
        if by:
            return by
        acts = [ch.by for ch in doc.amended_by if ch.date == day]
        return ", ".join(dict.fromkeys(acts)) or "?"

    for u in units:
        for ch in u.amended:
            out.append((ch.date, ch.by))
        if u.added:
            out.append((u.added, by_on(u.added, u.added_by)))
        if u.repealed:
            out.append((u.repealed, by_on(u.repealed, u.repealed_by)))
    # one finding per change (an article cited whole collects its clauses' changes of the same day)
    return sorted(set(out))


def validate(citations: Iterable[Citation], registry: Registry, *, on: dt.date, today: dt.date,
             reviewed: Optional[dt.date] = None) -> list[Problem]:
    """Check citations as of ``on`` (the page's last_reviewed or --date)."""
    problems: list[Problem] = []
    for c in citations:
        doc: Document = c.document
        if doc is None:
            continue
        day = on
        names = doc_names(doc)
        if c.historical:
            if doc.end is None:
                problems.append(Problem(c, "cite_historical_in_force", {"doc": names}))
                continue
            if c.historical != doc.end:
                problems.append(Problem(c, "cite_historical_mismatch", {"doc": names, "end": doc.end, "stated": c.historical}))
                continue
            day = doc.end - dt.timedelta(days=1)
        if doc.confidence == "UM" or (doc.confidence == "SS" and not doc.verified_source):
            problems.append(Problem(c, "cite_unverified_document", {"doc": names, "confidence": doc.confidence}))
            continue
        if doc.effective is None:  # unknown effective date: say so, do not guess
            problems.append(Problem(c, "cite_effective_unknown", {"doc": names}, "info"))  # info: a warning would fail the strict build
        elif day < doc.effective:
            problems.append(Problem(c, "cite_not_yet_in_force", {"doc": names, "effective": doc.effective, "date": day}))
            continue
        if doc.end is not None and day >= doc.end:
            example = Localized(vi=f"hết hiệu lực từ {format_date(doc.end, 'vi')}", en=f"no longer in force from {format_date(doc.end, 'en')}")
            problems.append(Problem(c, "cite_expired", {"doc": names, "end": doc.end, "successor_text": _successor(doc, registry), "historical_example": example}))
            continue
        for p in c.provisions:
            errors = _check_provision(c, doc, p, day)
            problems.extend(errors)
            if errors:
                continue  # the error already says what is wrong with this provision
            if not c.historical and reviewed is not None:
                for changed, by in _changes(doc, p):
                    params = {"doc": names, "provision": provision_names(p), "by": by, "changed": changed, "reviewed": reviewed}
                    if reviewed < changed <= today:
                        problems.append(Problem(c, "cite_amended_since_review", params, "warning"))
                    elif changed > today:
                        problems.append(Problem(c, "cite_future_change", params, "info"))
    return problems


def _check_provision(c: Citation, doc: Document, p: Provision, day: dt.date) -> list[Problem]:
    names = doc_names(doc)
    if not p.article:
        return []
    if doc.structure == "none" or not doc.articles:
        return [Problem(c, "cite_no_structure", {"doc": names})]
    art: Optional[Article] = doc.article(p.article)
    base = {"doc": names, "article": p.article, "date": day}
    if art is None:
        existing = compress([a.number for a in doc.articles if a.exists_on(day)])
        pre = Localized(vi=f"có các Điều {existing}", en=f"it has Articles {existing}")
        return [Problem(c, "cite_unknown_article", {**base, "existing": pre})]
    if not art.exists_on(day):
        return [Problem(c, "cite_article_not_yet", {**base, "added": art.added, "by": art.added_by or "?"})]
    if art.repealed_on(day):
        return [Problem(c, "cite_article_repealed", {**base, "repealed": art.repealed, "by_text": _by(art.repealed_by)})]
    if not p.clause:
        return []
    if art.clauses is None:
        return [Problem(c, "cite_clauses_not_recorded", base)]
    if not art.clauses:
        return [Problem(c, "cite_no_clauses", base)]
    cl: Optional[Clause] = next((x for x in art.clauses if x.number == p.clause), None)
    base["clause"] = p.clause
    if cl is None:
        existing = compress([x.number for x in art.clauses if x.exists_on(day)])
        return [Problem(c, "cite_unknown_clause", {**base, "existing": existing})]
    if not cl.exists_on(day):
        return [Problem(c, "cite_clause_not_yet", {**base, "added": cl.added})]
    if cl.repealed_on(day):
        return [Problem(c, "cite_clause_repealed", {**base, "repealed": cl.repealed, "by_text": _by(cl.repealed_by)})]
    if not p.point:
        return []
    base["point"] = Localized(vi=p.point, en={"đ": "dd"}.get(p.point, p.point))
    if not cl.points:
        return [Problem(c, "cite_no_points", base)]
    pt = next((x for x in cl.points if x.letter == p.point), None)
    if pt is None:
        letters = [x.letter for x in cl.points if x.exists_on(day)]
        existing = Localized(vi=f"{letters[0]}–{letters[-1]}" if len(letters) > 2 else ", ".join(letters),
                             en=", ".join({"đ": "dd"}.get(x, x) for x in letters) if len(letters) <= 2 else f"{letters[0]}–{ {'đ': 'dd'}.get(letters[-1], letters[-1])}")
        return [Problem(c, "cite_unknown_point", {**base, "existing": existing})]
    if not pt.exists_on(day):
        return [Problem(c, "cite_point_not_yet", {**base, "added": pt.added})]
    if pt.repealed_on(day):
        return [Problem(c, "cite_point_repealed", {**base, "repealed": pt.repealed, "by_text": _by(pt.repealed_by)})]
    return []
