"""Content audit records (data/audit/<page path without .md>.yaml): which provisions a page's legal
statements were read against, by whom, on what date, and the sha256 of the page bytes that were
audited. Loaded with the project (a bad record stops `lawsite check` and the build with file:line);
shown per page on the staff status page, where a page whose bytes changed since its audit shows as
"needs re-audit".

Record format (one file per Vietnamese page; its .en.md is audited with it):

    page: vi-pham/index.md
    audited: 2026-12-01
    by: "who or what read it"
    source_sha256: {vi: <64 hex>, en: <64 hex>}
    provisions:
      - {cite: "21.6.d@282/2025/NĐ-CP", verdict: supported}   # supported | fixed | unverified
    unverified: ["statement left unverified, and what the page tells the reader"]
    changes: ["what the audit changed"]

`cite` is ARTICLE[.CLAUSE[.POINT]]@NUMBER (or just NUMBER for a whole document); it must exist in
the registry. Messages are data (the `audit` block of lawsite/staff_labels.yaml), Vietnamese by
default and English when LAWSITE_LANG=en.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lawsite.core.errors import LawsiteError

SHA_RE = r"^[0-9a-f]{64}$"
CITE_RE = re.compile(r"^(?:(?P<art>\d+[a-z]?)(?:\.(?P<cl>\d+[a-z]?)(?:\.(?P<pt>[a-zđ]|dd))?)?@)?(?P<doc>\S+)$")
Verdict = Literal["supported", "fixed", "unverified"]
State = Literal["audited", "needs_reaudit", "not_audited"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProvisionCheck(_Strict):
    cite: str = Field(min_length=1)
    verdict: Verdict


class SourceHashes(_Strict):
    vi: str = Field(pattern=SHA_RE)
    en: Optional[str] = Field(default=None, pattern=SHA_RE)


class AuditRecord(_Strict):
    page: str = Field(min_length=1)
    audited: dt.date
    by: str = Field(min_length=1)
    source_sha256: SourceHashes
    provisions: list[ProvisionCheck] = Field(min_length=1)
    unverified: list[str] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)


@dataclass
class AuditProblem:
    path: str
    line: int
    code: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        tmpl = audit_labels(lang)["errors"].get(self.code) or (self.code + ": {detail}")
        return f"{self.path}:{self.line}: " + tmpl.format_map(_Default(self.params))


class _Default(dict):
    def __missing__(self, key):
        return "{" + key + "}"


class AuditError(LawsiteError):
    """One or more bad audit records; str() is in LAWSITE_LANG (default Vietnamese)."""

    def __init__(self, problems: list[AuditProblem]):
        self.problems = problems
        super().__init__(self.message(os.environ.get("LAWSITE_LANG", "vi")))

    def message(self, lang: str) -> str:
        return "\n".join(p.message(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.message(os.environ.get("LAWSITE_LANG", "vi"))


@dataclass
class Audits:
    records: dict[str, AuditRecord]  # key: the Vietnamese page, docs-relative (vi-pham/index.md)
    files: dict[str, Path]
    # records whose page is not in docs/ (renamed or deleted page, or a partial copy of the project):
    # not an error, listed on the staff status page so the record can be moved
    orphans: dict[str, Path] = field(default_factory=dict)

    def get(self, page: str) -> Optional[AuditRecord]:
        return self.records.get(page)


def audit_labels(lang: str) -> dict:
    from lawsite.core.l10n import staff_labels

    return staff_labels(lang if lang in ("vi", "en") else "vi")["audit"]


def sha256_file(path: Path) -> Optional[str]:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


# --- locating a pydantic error in the YAML text -------------------------------------------------

def _node_line(root, loc: tuple) -> int:
    """Line (1-based) of the YAML node at `loc`, or of the deepest existing parent."""
    node = root
    line = (node.start_mark.line + 1) if node is not None else 1
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    nxt = v
                    line = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line


def _problem_from_error(path: str, root, err: dict) -> AuditProblem:
    loc = tuple(err.get("loc") or ())
    key = ".".join(str(p) for p in loc)
    typ = err.get("type", "")
    params = {"key": key, "detail": err.get("msg", "")}
    if typ == "missing":
        code = "missing"
    elif typ == "extra_forbidden":
        code = "unknown_key"
    elif typ == "literal_error":
        code = "bad_verdict"
    elif typ.startswith("date"):
        code = "bad_date"
    elif typ == "string_pattern_mismatch" or (loc and loc[0] == "source_sha256"):
        code = "bad_sha"  # also an unquoted all-digit value, which YAML reads as a number
    elif typ == "too_short" and loc and loc[-1] == "provisions":
        code = "no_provisions"
    else:
        code = "bad_value"
    return AuditProblem(path, _node_line(root, loc), code, params)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_audits(folder: Path, docs_dir: Path, registry=None, *, today: Optional[dt.date] = None) -> Audits:
    """Read and check every data/audit/**/*.yaml. Raises AuditError listing every problem. `today`
    (given by the tools that know the real date, not by the build) also rejects audit dates in the
    future; the build's date can be pinned earlier (LAWSITE_TODAY) in tests and reproducible builds."""
    records: dict[str, AuditRecord] = {}
    files: dict[str, Path] = {}
    orphans: dict[str, Path] = {}
    problems: list[AuditProblem] = []
    if not folder.is_dir():
        return Audits(records, files)
    base = folder.parent.parent  # the project root: messages show data/audit/… paths
    for path in sorted(folder.rglob("*.yaml")):
        try:
            shown = path.relative_to(base).as_posix()
        except ValueError:
            shown = str(path)
        try:
            text = unicodedata.normalize("NFC", path.read_text("utf-8").lstrip("\ufeff"))
        except UnicodeDecodeError:
            problems.append(AuditProblem(shown, 1, "not_utf8"))
            continue
        root = None
        try:
            # libyaml when present (same rules, about 10x faster: audit records are the largest YAML a check reads)
            root = yaml.compose(text, Loader=_LOADER)
            data = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            problems.append(AuditProblem(shown, (mark.line + 1) if mark else 1, "yaml", {"detail": getattr(e, "problem", None) or str(e)}))
            continue
        except ValueError as e:  # e.g. an impossible date such as 2026-13-01, rejected while reading YAML
            problems.append(AuditProblem(shown, _node_line(root, ("audited",)) if root is not None else 1, "bad_date",
                                         {"key": "audited", "detail": str(e)}))
            continue
        if not isinstance(data, dict):
            problems.append(AuditProblem(shown, 1, "not_mapping"))
            continue
        try:
            rec = AuditRecord.model_validate(data)
        except ValidationError as e:
            problems += [_problem_from_error(shown, root, err) for err in e.errors()]
            continue
        page = unicodedata.normalize("NFC", rec.page)
        if not page.endswith(".md") or page.endswith(".en.md") or page.startswith("/") or ".." in page.split("/"):
            problems.append(AuditProblem(shown, _node_line(root, ("page",)), "bad_page", {"page": page}))
            continue
        if unicodedata.normalize("NFC", path.relative_to(folder).as_posix()) != page[:-len(".md")] + ".yaml":
            problems.append(AuditProblem(shown, _node_line(root, ("page",)), "wrong_file", {"page": page, "expected": "data/audit/" + page[:-len(".md")] + ".yaml"}))
            continue
        if not (docs_dir / page).is_file():
            orphans[page] = path
            continue
        if today is not None and rec.audited > today:
            problems.append(AuditProblem(shown, _node_line(root, ("audited",)), "future_date", {"date": rec.audited.isoformat()}))
        for i, pc in enumerate(rec.provisions):
            bad = _check_cite(pc.cite, registry)
            if bad:
                problems.append(AuditProblem(shown, _node_line(root, ("provisions", i, "cite")), bad, {"cite": pc.cite}))
        records[page] = rec
        files[page] = path
    if problems:
        raise AuditError(problems)
    return Audits(records, files, orphans)


def _check_cite(cite: str, registry) -> Optional[str]:
    m = CITE_RE.match(unicodedata.normalize("NFC", cite.strip()))
    if not m:
        return "bad_cite"
    if registry is None:
        return None
    doc = registry.get(m.group("doc"))
    if doc is None:
        return "unknown_doc"
    art, cl, pt = m.group("art"), m.group("cl"), m.group("pt")
    if art is None:
        return None
    a = doc.article(art)
    if a is None:
        return "unknown_provision"
    if cl is None:
        return None
    c = next((c for c in (a.clauses or []) if c.number == cl), None)
    if c is None:
        return "unknown_provision"
    if pt is None:
        return None
    pt = "đ" if pt == "dd" else pt
    if not any(p.letter == pt for p in c.points):
        return "unknown_provision"
    return None


# --- status -------------------------------------------------------------------------------------

@dataclass
class AuditStatus:
    src: str
    state: State
    record: Optional[AuditRecord] = None
    changed: tuple = ()  # which language files changed since the audit: ("vi",), ("en",), ("vi", "en")


def audit_status(project, src: str) -> AuditStatus:
    """State of one Vietnamese page: audited / needs_reaudit (page bytes differ from the record) /
    not_audited. The .en.md is compared too when the record or the page has one."""
    from lawsite.core.l10n import counterpart

    audits: Optional[Audits] = getattr(project, "audits", None)
    rec = audits.get(src) if audits else None
    if rec is None:
        return AuditStatus(src, "not_audited")
    docs = project.docs_dir
    changed = []
    if sha256_file(docs / src) != rec.source_sha256.vi:
        changed.append("vi")
    en_now = sha256_file(docs / counterpart(src))
    if en_now != rec.source_sha256.en:
        changed.append("en")
    return AuditStatus(src, "needs_reaudit" if changed else "audited", rec, tuple(changed))


STATE_ORDER = {"needs_reaudit": 0, "not_audited": 1, "audited": 2}


def audit_markdown(project, lang: str, page_src: str, srcs: list[str], heading: str = "##") -> str:
    """The audit section of the staff status page: one table row per Vietnamese page."""
    from lawsite.core.l10n import format_date

    t = audit_labels(lang)
    statuses = [audit_status(project, s) for s in srcs]
    counts = {k: sum(1 for s in statuses if s.state == k) for k in STATE_ORDER}
    here = posixpath.dirname(page_src) or "."
    out = [f"{heading} {t['title']} {{ #kiem-tra-noi-dung }}", "", t["intro"], "",
           t["summary"].format(**counts), "", f"**{t['caption']}**", "",
           f"| {t['col_page']} | {t['col_audited']} | {t['col_by']} | {t['col_provisions']} | {t['col_unverified']} | {t['col_state']} |",
           "|---|---|---|---|---|---|"]
    for s in sorted(statuses, key=lambda s: (STATE_ORDER[s.state], s.src)):
        link = posixpath.relpath(s.src, here)
        state = t["states"][s.state]
        if s.state == "needs_reaudit":
            state = f"**{state}** ({', '.join(t['changed'][c] for c in s.changed)})"
        elif s.state == "not_audited":
            state = f"**{state}**"
        r = s.record
        cells = [f"[{s.src}]({link})",
                 format_date(r.audited, lang) if r else "—",
                 _cell(r.by) if r else "—",
                 str(len(r.provisions)) if r else "—",
                 str(len(r.unverified)) if r else "—",
                 state]
        out.append("| " + " | ".join(cells) + " |")
    audits = getattr(project, "audits", None)
    if audits is not None and audits.orphans:
        out += ["", t["orphans"].format(files=", ".join(f"`data/audit/{p[:-len('.md')]}.yaml`" for p in sorted(audits.orphans)))]
    out += ["", t["how"], ""]
    return "\n".join(out)


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")
