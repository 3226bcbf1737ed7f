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
pre` wrote under `.cache/lawsite/bodies/` of the project containing the working directory."""
from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor

# before Python-Markdown's own whitespace normalisation (30) and raw-HTML stash (20): the engine's
# output is Markdown and goes through every later step exactly as a page written by hand
PRIORITY = 35


class LawsitePreprocessor(Preprocessor):
    def __init__(self, md, lang: str):
        super().__init__(md)
        self.lang = lang

    def run(self, lines: list[str]) -> list[str]:
        from lawsite.build import steps

        text = "\n".join(lines)
        site = steps.active_site()
        if site is not None and site.bodies:
            return site.body_for(text, site.current[0] if site.current else self.lang).split("\n")
        from lawsite.project.loader import find_root

        index = steps.load_index(find_root(), self.lang)
        return steps.lookup_body(index, text, self.lang, None).split("\n")


class LawsiteExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"lang": ["vi", "the language of the build (a page of another language is shown as a fallback)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.preprocessors.register(LawsitePreprocessor(md, self.getConfig("lang")), "lawsite", PRIORITY)


def makeExtension(**kwargs):
    return LawsiteExtension(**kwargs)
