"""`lawsite`: the command line of the site (check, impact, translations, new, review-due)."""
from __future__ import annotations

import argparse
import sys

from lawsite.core.errors import LawsiteError


def build_parser() -> argparse.ArgumentParser:
    from lawsite.commands import all_commands

    p = argparse.ArgumentParser(prog="lawsite", description="Tools for the bilingual exit and entry law site. Run from the project root.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for mod in all_commands():
        mod.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    lang = getattr(args, "lang", None)
    if lang:  # mends9: a language whose messages are incomplete says so (the rest is shown in the default language)
        from lawsite.commands import untranslated_note

        note = untranslated_note(lang)
        if note:
            print(note, file=sys.stderr)
    try:
        return int(args.run(args) or 0)
    except LawsiteError as e:  # data-file errors (lawsite.core.settings.DataError) speak the reader's language
        render = getattr(e, "render", None)
        print(render(getattr(args, "lang", None)) if render else str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `lawsite check | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
