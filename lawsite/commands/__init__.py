"""Sub-commands of `lawsite`: each module has add_parser(subparsers) and run(args) -> int."""
import importlib
import pkgutil


def all_commands():
    mods = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    return mods


# --- mends9: the commands' own lines (summaries, usage) are messages (lawsite/messages/<lang>.yaml, `cmd_*`),
# and --lang offers every language that has data: a third language is a data change.
def say(code: str, lang: str, **params) -> str:
    from lawsite.core.findings import Finding

    return Finding("", 0, 0, "info", code, params).message(lang, hint=False)


def lang_option(p, help_text: str) -> None:
    from lawsite.core.l10n import default_language, languages

    p.add_argument("--lang", choices=list(languages()), default=default_language(),
                   help=f"{help_text} (default: {default_language()})")


def untranslated_note(lang: str) -> str:
    """One line when `lang` lacks some messages (shown in the default language), else ''."""
    from lawsite.core.findings import untranslated
    from lawsite.core.l10n import default_language

    codes = untranslated(lang)
    if not codes:
        return ""
    return "lawsite: " + say("lang_untranslated", lang, n=len(codes), language=lang, default=default_language(),
                             codes=", ".join(codes[:5]) + (", …" if len(codes) > 5 else ""))
