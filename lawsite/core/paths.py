"""The build date and the paths messages show: shared by every layer (core)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


def build_date() -> dt.date:
    """The date the build or check runs: LAWSITE_TODAY, else SOURCE_DATE_EPOCH, else today."""
    if os.environ.get("LAWSITE_TODAY"):
        return dt.date.fromisoformat(os.environ["LAWSITE_TODAY"])
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc).date()
    return dt.date.today()


def shown_path(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project root (never a temporary absolute path)."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
