"""Drop the rules of Material's stylesheet that cannot match anything on this site (issue 14: first
view <= 70 KB). A rule goes only when every one of its selectors names a class that appears in no
built HTML page and no script a page loads (they add classes at run time; Material's bundle is not
loaded, see overrides/main.html); element, attribute and variable rules always stay. The pruned file gets a name from its own
content hash and every page is pointed at it, so a browser never keeps a stale copy."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lawsite.core import diskmemo

_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_COLOR = re.compile(r"\[data-md-color-(?:primary|accent)=([\w-]+)\]")
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_COLOR_ATTR = re.compile(r'data-md-color-(?:primary|accent)="([\w-]+)"')


def _blocks(css: str):
    """Top-level items of a stylesheet: (prelude, body) for blocks, (statement, None) for ';' statements."""
    i, n, out = 0, len(css), []
    while i < n:
        j, depth, quote = i, 0, ""
        while j < n:
            c = css[j]
            if quote:
                if c == "\\":
                    j += 1
                elif c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "/" and css.startswith("/*", j):
                k = css.find("*/", j + 2)
                j = n if k < 0 else k + 1
            elif c == ";" and depth == 0:
                out.append((css[i:j + 1], None))
                break
            elif c == "{":
                if depth == 0:
                    start = j
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    out.append((css[i:start], css[start + 1:j]))
                    break
            j += 1
        else:
            if css[i:].strip():
                out.append((css[i:], None))
            break
        i = j + 1
    return out


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for c in prelude:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    return parts + [cur]


def prune(css: str, corpus: set) -> str:
    known: dict[str, bool] = {}

    def alive(sel: str) -> bool:
        for value in _COLOR.findall(sel):  # palette: only the colours the site's pages set
            if f"color:{value}" not in corpus:
                return False
        for cls in _CLASS.findall(re.sub(r":(not|is|where|has)\([^)]*\)", "", sel)):
            if cls not in known:
                known[cls] = cls in corpus
            if not known[cls]:
                return False
        return True

    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude)
            continue
        head = prelude.strip()
        if head.startswith(("@media", "@supports", "@layer", "@container")):
            inner = prune(body, corpus)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            sels = [s for s in _split_selectors(prelude) if alive(s)]
            if sels:
                out.append(",".join(sels) + "{" + body + "}")
    return "".join(out)


def _declarations(body: str) -> list[str]:
    out, cur, depth, quote = [], "", 0, ""
    for c in body:
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == ";" and depth == 0:
            out.append(cur)
            cur = ""
            continue
        cur += c
    return out + ([cur] if cur.strip() else [])


_VAR_READ = re.compile(r"(?=var\(([^,)]*)[,)])")  # every name a var() reads, nested ones too (var(--a, var(--b)))


def prune_variables(css: str, others) -> str:
    """Drop custom properties (--md-…) declared on :root-like rules that nothing reads any more
    (e.g. the icons of admonition types the site never uses). `others`: the other texts (a string,
    or a list of strings: the other sheets and the pages, scanned one by one)."""
    texts = [css] + ([others] if isinstance(others, str) else list(others))
    read = set().union(*(_VAR_READ.findall(t) for t in texts))  # one scan, not one per declaration

    def used(name: str) -> bool:
        if "," in name or ")" in name:  # not a property name; the plain test
            return any(f"var({name})" in t or f"var({name}," in t for t in texts)
        return name in read

    def walk(c: str) -> str:
        out = []
        for prelude, body in _blocks(c):
            if body is None:
                out.append(prelude)
            elif prelude.strip().startswith(("@media", "@supports", "@layer")):
                out.append(f"{prelude}{{{walk(body)}}}")
            elif prelude.strip().startswith(":root") or prelude.strip().startswith("[data-md-color"):
                decls = [d for d in _declarations(body)
                         if not d.strip().startswith("--") or used(d.split(":", 1)[0].strip())]
                if decls:
                    out.append(prelude + "{" + ";".join(decls) + "}")
            else:
                out.append(f"{prelude}{{{body}}}")
        return "".join(out)
    return walk(css)


def prune_site(site_dir: str) -> tuple[int, int] | None:
    """Prune Material's stylesheets (main, palette) in a built site; returns (bytes before, bytes after)."""
    before = after = 0
    site = Path(site_dir)
    texts = {p: p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}  # read once for both sheets
    changed: set[Path] = set()
    used = _used(site, texts)  # the same for both sheets: pointing a page at a new sheet changes no class
    for name in ("main", "palette"):
        r = _prune_sheet(site, name, texts, changed, used)
        if r:
            before, after = before + r[0], after + r[1]
    for p in sorted(changed):  # written once, pointing at both new sheets
        p.write_text(texts[p], "utf-8")
    return (before, after) if before else None


def loaded_scripts(site: Path, pages) -> list[Path]:
    """The site's scripts that some page loads or names (search.js is named in a data attribute and
    loaded by ui.js): the classes they add at run time must keep their rules. A script no page names
    (Material's bundle, which overrides/main.html does not load; lunr and the workers: search plugin
    off) adds nothing."""
    pages = list(pages)
    return [js for js in sorted((site / "assets" / "javascripts").glob("*.js")) if any(js.name in t for t in pages)]


def _used(site: Path, texts: dict) -> set[str]:
    """Every class and colour name the pages use, and every word of the scripts they load."""
    used: set[str] = set()
    for t in texts.values():  # page by page: no copy of the whole site in memory
        used.update(" ".join(_CLASS_ATTR.findall(t)).split())
        used.update(f"color:{v}" for v in _COLOR_ATTR.findall(t))
    for js in loaded_scripts(site, texts.values()):
        used |= set(re.findall(r"[-\w]+", js.read_text("utf-8", "replace")))
    return used


def _prune_sheet(site: Path, name: str, texts: dict | None = None, changed: set | None = None,
                 used: set | None = None) -> tuple[int, int] | None:
    """`texts`: every built page (path -> text), updated in place when a page is pointed at the new sheet.
    `changed`: the caller writes the pages added to it (once for several sheets); without it each is written here.
    `used`: _used(site, texts), when the caller has it."""
    sheets = sorted(p for p in site.glob(f"assets/stylesheets/{name}.*.min.css") if ".pruned." not in p.name)
    if not sheets:
        return None
    sheet = sheets[0]
    if texts is None:
        texts = {p: p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}
    if used is None:
        used = _used(site, texts)
    css = sheet.read_text("utf-8")
    others = [p.read_text("utf-8", "replace") for p in sorted((site / "assets" / "stylesheets").glob("*.css")) if p != sheet]
    pruned = diskmemo.memo("cssprune", (css, sorted(used), others, list(texts.values())),  # LAWSITE_CACHE=1: kept by every input
                           lambda: prune_variables(prune(css, used), others + list(texts.values())), valid=lambda v: isinstance(v, str))
    digest = hashlib.sha256(pruned.encode("utf-8")).hexdigest()[:8]
    target = sheet.with_name(f"{name}.{digest}.pruned.min.css")
    target.write_text(pruned, "utf-8")
    old = sheet.name
    for p, t in texts.items():
        if old in t:
            texts[p] = t.replace(old, target.name)
            if changed is None:
                p.write_text(texts[p], "utf-8")
            else:
                changed.add(p)
    return len(css), len(pruned)
