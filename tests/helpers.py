"""Helpers shared by several test modules (issue 16 §5: no test module imports another test module;
tests/test_suite_rules.py checks it). Plain functions and constants only: fixtures live in conftest.py.

- axe-core in the browser: WCAG_TAGS, run_axe, describe, axe_source; the page templates checked by
  test_a11y / test_csp (TEMPLATES, resolve_template) and the search files (SEARCH_FILES);
- the answer tools: fine_text (a fine band as the tools print it);
- the staff command line: lawsite (run `python -m lawsite.cli` in a folder) and page (a contributor page)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAFF_ENV = {"LAWSITE_TODAY": "2026-12-01", "SOURCE_DATE_EPOCH": "1796083200"}

# --- axe-core (bundled by the PyPI package axe-playwright-python: no network at test time) ---------
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# (name, candidate paths: the first that exists in the built site is used)
_TEMPLATES = [
    ("home", ["index.html"]),
    ("section-index", ["cong-dan/index.html", "vi-pham/index.html"]),
    ("procedure", ["cong-dan/cap-ho-chieu-trong-nuoc/index.html"]),
    ("penalties-table", ["vi-pham/bang-muc-phat/index.html"]),
    ("qa", ["hoi-dap/ho-chieu/index.html"]),
    ("glossary", ["thuat-ngu/index.html"]),
    ("legal-document", ["van-ban/nghi-dinh-282-2025-nd-cp/index.html"]),
    ("news-item", ["tin-tuc/2025-12-15-nghi-dinh-282-co-hieu-luc/index.html"]),
    ("404", ["404.html"]),
    # the answer tools (issue 14: the bars hold on them too), with their form shown by their script
    ("overstay-tool", ["cong-cu/qua-han-tam-tru/index.html"]),
    ("visa-tool", ["cong-cu/thi-thuc/index.html"]),
    ("penalty-tool", ["cong-cu/muc-phat/index.html"]),
]
TEMPLATES = [(f"{lang}-{name}", [("en/" + c if lang == "en" else c) for c in cands])
             for lang in ("vi", "en") for name, cands in _TEMPLATES]
SEARCH_FILES = [ROOT / "overrides/partials/search.html", ROOT / "docs/assets/javascripts/search.js"]


def resolve_template(site: Path, candidates: list[str]) -> str:
    for c in candidates:
        if (site / c).is_file():
            return c[:-len("index.html")] if c.endswith("index.html") else c
    pytest.fail(f"none of {candidates} was built: the page for this template is missing")


def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:  # pragma: no cover
        pytest.fail("axe-playwright-python is not installed: run `make install` (pip install -e '.[test]')")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def run_axe(page) -> list[dict]:
    """Inject axe through the DevTools protocol (page.evaluate is not subject to the site's CSP)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    res = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                        WCAG_TAGS)
    return res["violations"]


def describe(violations: list[dict]) -> str:
    out = []
    for v in violations:
        out.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for n in v["nodes"][:3]:
            out.append(f"    {n['target']}: {n.get('failureSummary', '').splitlines()[-1].strip() if n.get('failureSummary') else ''}")
    return "\n".join(out)


# --- answer tools ----------------------------------------------------------------------------------
def fine_text(fig, lang: str, factor: int = 1) -> str:
    """A fine band as the tools print it: "<min> – <max>" (times ``factor``: organisations pay double)."""
    from lawsite.project.figures import Figure, render_figure

    lo = render_figure(Figure(kind="vnd", value=fig.min * factor, source=fig.source, confidence="VT"), lang)
    hi = render_figure(Figure(kind="vnd", value=fig.max * factor, source=fig.source, confidence="VT"), lang)
    return f"{lo} – {hi}"


# --- staff command line ----------------------------------------------------------------------------
def lawsite(cwd: Path, *args, env_extra=None) -> subprocess.CompletedProcess:
    env = {**os.environ, **STAFF_ENV, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "lawsite.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def page(title, reviewed, body, documents=("49/2019/QH14",), extra=""):
    docs = ", ".join(f'"{d}"' for d in documents)
    return f"---\ntitle: {title}\ndescription: Một câu mô tả.\nlast_reviewed: {reviewed}\ndocuments: [{docs}]\n{extra}---\n\n{body}\n"


# --- a copy of the project with changed data (tests/conftest.py: changed_data_build) ---------------
FILLED = {"province": {"name": {"vi": "Lạng Sơn", "en": "Lang Son"},
                       "police_name": {"vi": "Công an tỉnh Lạng Sơn", "en": "Lang Son Provincial Police"},
                       "hotline": "0123", "email": "", "address": {"vi": "", "en": ""}, "zalo_url": ""}}


def fill_province(root: Path) -> None:
    """data/site.yaml of the copy `root`: the province's contacts filled, the developer links switched on."""
    import yaml

    settings = yaml.safe_load((root / "data/site.yaml").read_text("utf-8"))
    settings["province"].update(FILLED["province"])
    settings.update(show_repo_link=True, show_made_with=True, show_edit_link=True)
    (root / "data/site.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")


def add_future_amendment(root: Path) -> None:
    """The registry of the copy `root` records an amendment of Article 36 of Law 49/2019 that takes effect
    after the build date (2027-03-01)."""
    import re

    reg = root / "data" / "registry" / "luat-49-2019-qh14.yaml"
    text = reg.read_text("utf-8")
    m = re.search(r"^(\s*)- number: ['\"]?36['\"]?\s*$", text, re.M)
    assert m, "Article 36 not found in the registry file"
    indent = m.group(1) + "  "
    insert = f"{indent}amended:\n{indent}- by: 118/2025/QH15\n{indent}  date: 2027-03-01\n"
    reg.write_text(text[: m.end() + 1] + insert + text[m.end() + 1:], "utf-8")


# --- mends9: the line of a text in a file, and a registry folder that must fail to load ------------
def line_of(text: str, needle: str, *, any_case: bool = False) -> int:
    """The 1-based line where `needle` first occurs in `text` (with any_case, a case-insensitive
    match when no exact one exists); fails the test when the needle is not there at all."""
    i = text.find(needle)
    if i < 0 and any_case:
        i = text.lower().find(needle.lower())
    assert i >= 0, f"{needle!r} not in the source"
    return text.count("\n", 0, i) + 1


def registry_error(folder: Path, files: dict):
    """Write `files` ({name: YAML text}) into `folder`, load it as a registry (paths shown relative to
    the folder) and return the RegistryError it must raise."""
    from lawsite.project.registry import RegistryError, load_registry

    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_registry(folder, root=folder)
    return e.value
