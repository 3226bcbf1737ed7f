"""Sub-commands of `lawsite`: each module has add_parser(subparsers) and run(args) -> int."""
import importlib
import pkgutil


def all_commands():
    mods = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    return mods
