"""lawsite translations: the status of every page pair (up to date / outdated / missing / unmarked);
--mark-current PAGE records the Vietnamese page's current hash in the English page's front matter."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from lawsite.commands import lang_option, say
from lawsite.core.errors import LawsiteError
from lawsite.core.findings import Finding
from lawsite.core.l10n import counterpart
from lawsite.site.parity import source_hash
from lawsite.project.loader import Project, find_root, load_project
from lawsite.site.status import STATE_ORDER, all_translation_status, translation_findings
from lawsite.core.text import FRONT_MATTER, nfc


def add_parser(sub):
    p = sub.add_parser("translations", help="status of the English translations; --mark-current PAGE after translating")
    p.add_argument("pages", nargs="*", help="with --mark-current: docs/x.en.md, docs/x.md or x")
    p.add_argument("--mark-current", action="store_true", help="record that the English page translates the current Vietnamese page")
    p.add_argument("--all", action="store_true", help="with --mark-current: every English page (bootstrapping only)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    lang_option(p, "language of the messages")
    p.set_defaults(run=run)


def message(code: str, lang: str, **params) -> str:
    return Finding("", 0, 0, "info", code, params).message(lang)


def resolve_page(project: Project, page: str, lang: str = "vi") -> str:
    """docs/x.en.md | docs/x.md | x.en.md | x.md | x  ->  docs-relative Vietnamese source x.md."""
    p = page.strip().replace("\\", "/")
    try:
        p = Path(p).resolve().relative_to(project.docs_dir.resolve()).as_posix() if Path(p).is_absolute() else p
    except ValueError:
        pass
    if p.startswith("docs/"):
        p = p[len("docs/"):]
    p = p.rstrip("/")
    if p.endswith(".en.md"):
        p = counterpart(p)
    elif not p.endswith(".md"):
        p += ".md"
    if not (project.docs_dir / p).is_file():
        if (project.docs_dir / p[:-3] / "index.md").is_file():
            p = p[:-3] + "/index.md"
        else:
            raise LawsiteError(message("mark_not_found", lang, page=page))
    return p


def set_source_hash(text: str, value: str) -> str:
    """Set `source_hash: value` in the front matter, editing that line in place (or adding it as
    the last front-matter line); every other byte of the file is kept."""
    m = FRONT_MATTER.match(text)
    if not m:
        raise ValueError("no front matter")
    nl = "\r\n" if m.group(1).endswith("\r\n") else "\n"
    fm_start = m.end(1)
    fm = m.group(2) or ""
    line = re.search(r"^source_hash[ \t]*:[^\r\n]*", fm, re.M)
    if re.fullmatch(r"[0-9e]+", value):  # "192227593729" would load as a number (and "12e4" as one in YAML 1.2)
        value = f'"{value}"'
    if line:
        new_fm = fm[:line.start()] + f"source_hash: {value}" + fm[line.end():]
    else:
        new_fm = fm + f"source_hash: {value}{nl}"
    return text[:fm_start] + new_fm + text[fm_start + len(fm):]


def mark_current(project: Project, vi_src: str, lang: str) -> str:
    vi_path = project.docs_dir / vi_src
    en_src = counterpart(vi_src)
    en_path = project.docs_dir / en_src
    if not en_path.is_file():
        raise LawsiteError(message("mark_no_english", lang, page=f"docs/{vi_src}", page_en=f"docs/{en_src}"))
    vi_text = nfc(vi_path.read_text("utf-8").replace("\r\n", "\n"))
    value = source_hash(vi_text)
    raw = en_path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0:].decode("utf-8")
    try:
        new = set_source_hash(text, value)
    except ValueError:
        raise LawsiteError(message("mark_no_front_matter", lang, page_en=f"docs/{en_src}"))
    if new != text:
        en_path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))
    return message("mark_done", lang, hash=value, page_en=f"docs/{en_src}")


def run(args) -> int:
    project = load_project(find_root())
    if args.mark_current:
        if args.all:
            srcs = [s.src for s in all_translation_status(project) if s.state != "missing"]
        elif args.pages:
            srcs = [resolve_page(project, p, args.lang) for p in args.pages]
        else:
            print("lawsite translations --mark-current: " + say("cmd_translations_mark_current_usage", args.lang), file=sys.stderr)
            return 2
        for src in srcs:
            print(mark_current(project, src, args.lang))
        return 0
    statuses = all_translation_status(project)
    if args.format == "json":
        data = [{"page": f"docs/{s.src}", "english": f"docs/{counterpart(s.src)}", "state": s.state,
                 "recorded": s.recorded, "actual": s.actual,
                 "vi_reviewed": s.vi_reviewed.isoformat() if s.vi_reviewed else None} for s in statuses]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for f in sorted(translation_findings(statuses, include_current=True),
                    key=lambda f: (STATE_ORDER[f.code.split("_", 1)[1]], f.path)):
        state = f.code.split("_", 1)[1]
        print(f"{f.path}: {state}: {f.message(args.lang)}")
    counts = {k: sum(1 for s in statuses if s.state == k) for k in STATE_ORDER}
    print(say("cmd_translations_summary", args.lang, pages=len(statuses), **counts), file=sys.stderr)
    return 0
