"""lawsite scan FILE: every legal reference in a text that is not a page of the site (a decree, a
law, a letter, a press article), resolved against the registry and checked as of a date.

    lawsite scan FILE [--lang vi|en] [--document NUMBER] [--date YYYY-MM-DD] [--format text|jsonl]

--format jsonl prints one JSON object per reference (a contract other tools rely on):
{"line", "col", "end_line", "text", "document", "in_registry", "provisions", "findings"}.
Exit 0 when no error, 1 when an error, 2 on bad usage."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from lawsite.commands import say
from lawsite.core.l10n import default_language, languages
from lawsite.project.loader import build_date, find_root, load_project


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{s}' is not a date YYYY-MM-DD")


def _languages() -> list[str]:
    """The languages with a citation grammar (lawsite/grammar/<lang>.yaml): a new language is data."""
    from importlib import resources

    return sorted(p.name[:-5] for p in resources.files("lawsite.grammar").iterdir() if p.name.endswith(".yaml"))


def add_parser(sub):
    p = sub.add_parser("scan", help="list and check every legal reference in any text file (a law, a decree, a letter)")
    p.add_argument("file", type=Path, help="a plain text or Markdown file")
    p.add_argument("--lang", choices=_languages(), help="language of the text (default: en for *.en.* files, else vi)")
    p.add_argument("--document", help="the document the text itself is (e.g. 282/2025/NĐ-CP): 'Nghị định này', 'Điều này' resolve in it")
    p.add_argument("--date", type=_date, help="the day the text speaks as of (default: today)")
    p.add_argument("--format", choices=["text", "jsonl"], default="text")
    p.set_defaults(run=run)


def run(args) -> int:
    from lawsite.cite.scan import scan_text

    path: Path = args.file
    # the language of the text: the file name's language suffix (x.en.txt), else the default language
    lang = args.lang or next((x for x in languages()[1:] if f".{x}." in path.name), default_language())
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"lawsite scan: {path}: no such file", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as e:
        print(f"lawsite scan: {path}: cannot read as UTF-8 text ({e.__class__.__name__})", file=sys.stderr)
        return 2
    project = load_project(find_root())
    if args.document and project.registry.get(args.document) is None:
        print(f"lawsite scan: note: {args.document} is not in the registry; its own references are reported as unknown", file=sys.stderr)
    on = args.date or build_date()
    refs = scan_text(project, text, lang=lang, document=args.document, on=on)
    errors = 0
    w = sys.stdout.write
    for r in refs:
        errors += any(f["severity"] == "error" for f in r.findings)
        if args.format == "jsonl":
            w(json.dumps(r.as_json(), ensure_ascii=False) + "\n")
            continue
        doc = r.document or "?"
        known = "" if r.in_registry else say("cmd_scan_not_in_registry", lang)
        provs = " " + ", ".join(r.provisions) if r.provisions else ""
        w(f"{path}:{r.line}:{r.col}: {r.text} -> {doc}{known}{provs}\n")
        for f in r.findings:
            w(f"{path}:{r.line}:{r.col}: {f['severity']}: {f['message']}\n")
    if args.format == "text":
        print(say("cmd_scan_summary", lang, refs=len(refs), errors=errors), file=sys.stderr)
    return 1 if errors else 0
