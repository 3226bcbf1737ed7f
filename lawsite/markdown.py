"""The citation engine as a Python-Markdown extension (issue 16 §1): in mkdocs.yml

    markdown_extensions:
      - lawsite.markdown:
          lang: vi

renders a page body's citations, `{{ figure }}` keys and generated blocks (document pages, the
documents index, procedure cards, the staff page, legal changes, the page history, the translation
notices), for any generator that runs Python-Markdown extensions (MkDocs, ProperDocs, Zensical).

An extension is not told which file it renders (the generator strips the front matter first), so the
pre-build step (`lawsite.build.steps`) renders every page of every language build beforehand and
keeps the results in a body index; the extension looks its page up there:

1. by the page the generator announced (MkDocs/ProperDocs: the `on_page_markdown` hook, one line),
   checked against the hash of the text received;
2. else by that hash alone (NFC, line breaks normalised): Zensical, or `markdown.Markdown(...)` after
   `lawsite.build.steps.pre(root)`; a blank body arrives as the marker line the pre-step names it by.

A body the pre-step did not see, or one that several pages share with different results, stops the
conversion with a `LawsiteError` naming what is missing: a page is never passed through unrendered.
The index is the running build's (`steps.active_site()`), else the one `python -m lawsite.build.steps
pre` wrote under `.cache/lawsite/bodies/` of the project containing the working directory.

With LAWSITE_CACHE=1 (`make serve`, `make site`) a page's whole conversion is kept on disk
(<project>/.cache/lawsite/memo/markdown/, see lawsite.core.diskmemo): the HTML and what the generator
reads from the Markdown object after `convert` (the table of contents, MkDocs' page title, anchors and
links to anchors, the messages it logged about links). The entry's name hashes the rendered body,
every extension's class and settings, every processor registered on the Markdown object, the page's
address, the link checks' settings, the versions of Markdown, pymdown-extensions, MkDocs, Material and ProperDocs, and
the engine's files; the entry keeps every answer MkDocs' link step got from the build's file list while
the page converted (the page depends on the other files only through these lookups: a link's target, its
address; any other use of the list and the page is not kept) and is used only when the build's list gives
the same answers, so a copy of the project with one page more still finds the pages that do not link to
it: a stale entry cannot be used. On a hit the extension hands Markdown no lines and
its last postprocessor returns the kept HTML. Only a generator that registers MkDocs' link and title
steps on the Markdown object (MkDocs, ProperDocs) is cached; with any other, pages convert as usual."""

from __future__ import annotations

import logging

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# before Python-Markdown's own whitespace normalisation (30) and raw-HTML stash (20): the engine's
# output is Markdown and goes through every later step exactly as a page written by hand
PRIORITY = 35
LAST = -10_000  # the cache's treeprocessor and postprocessor run after every other one
KIND = "markdown"
LIBS = ("markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "properdocs", "mkdocs-static-i18n")
# what a generator reads from the Markdown object after convert (toc: MkDocs' page.toc; Meta: the meta extension)
MD_ATTRS = ("toc_tokens", "toc", "Meta")


class LawsitePreprocessor(Preprocessor):
    def __init__(self, md, lang: str, cache: "_PageCache"):
        super().__init__(md)
        self.lang = lang
        self.cache = cache

    def run(self, lines: list[str]) -> list[str]:
        from lawsite.build import steps

        text = "\n".join(lines)
        site = steps.active_site()
        if site is not None and site.bodies:
            out = site.body_for(text, site.current[0] if site.current else self.lang)
        else:
            from lawsite.project.loader import find_root

            index = steps.load_index(find_root(), self.lang)
            out = steps.lookup_body(index, text, self.lang, None)
        if self.cache.begin(self.md, out, site):
            return []  # a hit: nothing to convert, the postprocessor returns the kept page
        return out.split("\n")


class _Capture(logging.Handler):
    """The messages logged while one page converts: the generator's link checks (kept with the entry
    and logged again on a hit); a message from anywhere else makes the page uncacheable."""

    def __init__(self, own: logging.Logger):
        super().__init__(logging.DEBUG)
        self.own = own
        self.kept: list[tuple[int, str]] = []
        self.foreign = False
        self.seen: set[int] = set()

    def emit(self, record):
        if id(record) in self.seen:
            return
        self.seen.add(id(record))
        if record.name == self.own.name:
            self.kept.append((record.levelno, record.getMessage()))
        else:
            self.foreign = True


class _PageCache:
    """The conversion cache of one Markdown object (one page at a time)."""

    def __init__(self):
        self.key = None
        self.hit = None
        self.tree_done = False  # the toc extension runs the postprocessors over each heading before the page
        self.capture = None
        self.loggers: list[logging.Logger] = []

    def _steps(self, md):
        """MkDocs' (or ProperDocs') steps registered on `md`: (title, anchors, raw-HTML anchors, links), or None."""
        tp, pp = md.treeprocessors, md.preprocessors
        try:
            title, anchors, rel, raw = tp["mkdocs_extract_title"], tp["mkdocs_extract_anchors"], tp["relpath"], pp["mkdocs_raw_html"]
        except KeyError:
            return None
        if not all(hasattr(rel, a) for a in ("file", "files", "config", "links_to_anchors")):
            return None
        if not (hasattr(title, "title") and hasattr(anchors, "present_anchor_ids") and hasattr(raw, "present_anchor_ids")):
            return None
        return title, anchors, raw, rel

    def _key(self, md, text: str, rel) -> str:
        from lawsite.core import diskmemo

        def name(x) -> str:
            t = x if isinstance(x, type) else type(x)
            return f"{t.__module__}.{t.__qualname__}"

        def value(v) -> str:
            if callable(v) and hasattr(v, "__qualname__"):
                return f"{getattr(v, '__module__', '?')}.{v.__qualname__}"
            if isinstance(v, dict):
                return "{" + ",".join(f"{k!r}:{value(w)}" for k, w in sorted(v.items(), key=lambda kv: str(kv[0]))) + "}"
            if isinstance(v, (list, tuple)):
                return "[" + ",".join(value(w) for w in v) + "]"
            return repr(v)

        exts = [(name(e), value(e.getConfigs())) for e in md.registeredExtensions]
        procs = [[name(p) for p in reg] for reg in (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns,
                                                     md.treeprocessors, md.postprocessors)]
        f, config = rel.file, rel.config
        links = config["validation"]["links"] if "validation" in config else {}
        page = (f.src_uri, f.url, f.dest_uri, str(getattr(f, "inclusion", "")), bool(config.get("use_directory_urls")),
                value(dict(links)))
        return diskmemo.key(KIND, (text, name(md), md.output_format, str(md.tab_length), value(exts), value(procs),
                                   page), LIBS)

    def begin(self, md, text: str, site) -> bool:
        """Look the page up; True on a hit. On a miss, start listening to what the generator logs."""
        from lawsite.core import diskmemo

        self.end()
        self.key = self.hit = None
        self.tree_done = False
        got = self._steps(md) if diskmemo.enabled() else None
        if got is None or list(md.postprocessors)[-1] is not self.post or list(md.treeprocessors)[-1] is not self.tree:
            return False
        rel = got[3]
        self.key = self._key(md, text, rel)
        entry = diskmemo.load(KIND, self.key)
        if isinstance(entry, dict) and entry.get("v") == 2 and all(
                _file_id(rel.files.get_file_from_path(path)) == tuple(want) if want is not None
                else rel.files.get_file_from_path(path) is None for path, want in entry["deps"].items()):
            self.hit = entry
            return True
        rel.files = _Lookups(rel.files)  # record what the link step asks the file list while the page converts
        own = logging.getLogger(type(rel).__module__)
        self.capture = _Capture(own)
        self.loggers = [own, logging.getLogger()]
        for lg in self.loggers:
            lg.addHandler(self.capture)
        return False

    def end(self):
        for lg in self.loggers:
            lg.removeHandler(self.capture)
        self.loggers = []

    def finish(self, md, html: str) -> str:
        from lawsite.core import diskmemo

        if not self.tree_done:  # a heading's text (the toc extension), not the page
            return html
        self.tree_done = False
        got = self._steps(md)
        if self.hit is not None and got is not None:
            title, anchors, raw, rel = got
            e, self.hit = self.hit, None
            for a in MD_ATTRS:
                if a in e["md"]:
                    setattr(md, a, e["md"][a])
            title.title = e["title"]
            anchors.present_anchor_ids = set(e["anchors"])
            raw.present_anchor_ids = set()
            rel.links_to_anchors = {rel.files.get_file_from_path(src): dict(v) for src, v in e["links"].items()}
            own = logging.getLogger(type(rel).__module__)
            for level, msg in e["log"]:
                own.log(level, msg)
            return e["html"]
        capture, k = self.capture, self.key
        self.end()
        self.capture = self.key = None
        look = got[3].files if got is not None else None
        if isinstance(look, _Lookups):
            got[3].files = look.files  # the generator's own list again
        if capture is None or k is None or got is None or capture.foreign or not isinstance(look, _Lookups) or look.other:
            return html
        title, anchors, raw, rel = got
        links = {}
        for target, v in rel.links_to_anchors.items():
            if rel.files.get_file_from_path(target.src_uri) is not target:
                return html  # a link to a file the build does not list: keep nothing
            links[target.src_uri] = dict(v)
        entry = {"v": 2, "deps": look.seen, "html": html, "title": title.title, "links": links, "log": capture.kept,
                 "anchors": sorted(anchors.present_anchor_ids | raw.present_anchor_ids),
                 "md": {a: getattr(md, a) for a in MD_ATTRS if hasattr(md, a)}}
        diskmemo.store(KIND, k, entry)
        return html


def _file_id(f):
    """What a page's conversion reads of a file found in the build's list (its address, and how it is included)."""
    return None if f is None else (f.src_uri, f.url, f.dest_uri, str(getattr(f, "inclusion", "")), bool(f.is_documentation_page()))


class _Lookups:
    """The build's file list while one page converts: each `get_file_from_path` answer is recorded (all
    that MkDocs' link step asks); any other use of the list marks the page as not to be kept."""

    def __init__(self, files):
        self.files = files
        self.seen: dict[str, object] = {}
        self.other = False

    def get_file_from_path(self, path):
        f = self.files.get_file_from_path(path)
        self.seen[path] = _file_id(f)
        return f

    def __getattr__(self, name):
        self.other = True
        return getattr(self.files, name)

    def __iter__(self):
        self.other = True
        return iter(self.files)

    def __len__(self):
        self.other = True
        return len(self.files)

    def __contains__(self, item):
        self.other = True
        return item in self.files


class LawsiteTreeprocessor(Treeprocessor):
    """Marks the end of the tree steps: the next run of the postprocessors is the page's."""

    def __init__(self, md, cache: _PageCache):
        super().__init__(md)
        self.cache = cache

    def run(self, root):
        self.cache.tree_done = True
        return None


class LawsitePostprocessor(Postprocessor):
    def __init__(self, md, cache: _PageCache):
        super().__init__(md)
        self.cache = cache

    def run(self, text: str) -> str:
        return self.cache.finish(self.md, text)


class LawsiteExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"lang": ["vi", "the language of the build (a page of another language is shown as a fallback)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        cache = _PageCache()
        md.preprocessors.register(LawsitePreprocessor(md, self.getConfig("lang"), cache), "lawsite", PRIORITY)
        cache.post = LawsitePostprocessor(md, cache)
        cache.tree = LawsiteTreeprocessor(md, cache)
        md.postprocessors.register(cache.post, "lawsite_cache", LAST)
        md.treeprocessors.register(cache.tree, "lawsite_cache", LAST)


def makeExtension(**kwargs):
    return LawsiteExtension(**kwargs)
