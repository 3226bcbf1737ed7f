"""Contributed Markdown may not carry active content: script, iframe, object, embed, style (and
other document-changing) elements, on*= event attributes (in HTML or in attribute lists),
javascript:/vbscript:/data: URLs (also when spelled with entities, upper case, tabs or newlines).

Two scanners:
- ``scan_markup(body)``: on the Markdown source, with offsets (lawsite check and the build report
  file:line:col). Code spans and fenced code are ignored, so documentation can show examples.
- ``scan_html(html)``: on the HTML that Markdown produced for the page (the build), which sees
  exactly what the browser will see: it catches whatever the source scan could miss (a fence that
  Markdown did not treat as code, attribute lists, entities).
"""
from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "meta",
                  "link", "form", "svg", "math", "portal")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data", "cite", "ping"}

_TAG = re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")(?![\w-])", re.I)
# an event-handler attribute: in an HTML tag (after space, "/", or a closing quote) or in an
# attribute list {: onclick="…"}; prose never writes "onxxx=" glued to one of these separators
_EVENT = re.compile(r"(?:(?<=[\s/\"'{;:])|^)(on[a-z]{3,})\s*=", re.I | re.M)
# where a URL starts: Markdown link/image "](", reference definition "]:", an HTML URL attribute,
# an angle-bracket autolink
_URL_START = re.compile(r"\]\(\s*<?|\]:[ \t]*<?|(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(URL_ATTRS))
                        + r")\s*=\s*[\"']?|<(?=[a-z&]{4})", re.I)
_STRIP = re.compile(r"[\x00-\x20\x7f]+")


def _bad_scheme(tail: str) -> str | None:
    """The forbidden scheme a URL starts with, after decoding entities and dropping the whitespace
    and control characters browsers ignore inside a scheme (java&#x09;script:, &#106;avascript:)."""
    decoded = _html.unescape(tail[:120])
    decoded = _STRIP.sub("", decoded).lower()
    for s in BAD_SCHEMES:
        if decoded.startswith(s):
            return s[:-1]
    return None


MAX_LIST_DEPTH = 6  # deeper lists are unreadable and make Markdown's recursion blow up
_LIST_ITEM = re.compile(r"^((?:[ ]{4}|\t)*)(?:[ ]{0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.M)
_BLOCKQUOTE = re.compile(r"^(?:[ ]{0,3}>[ ]?){%d,}" % (MAX_LIST_DEPTH + 1), re.M)


def scan_markup(body: str) -> list[tuple[int, str]]:
    """Offsets and names of forbidden constructs in a Markdown body (code is ignored)."""
    text = mask_code(body)
    out = []
    for m in _LIST_ITEM.finditer(text):
        depth = len(m.group(1).replace("\t", "    ")) // 4 + 1
        if depth > MAX_LIST_DEPTH:
            out.append((m.start(), f"a list nested {depth} levels deep (at most {MAX_LIST_DEPTH})"))
            break
    for m in _BLOCKQUOTE.finditer(text):
        out.append((m.start(), f"quotes nested more than {MAX_LIST_DEPTH} levels deep"))
        break
    for m in _TAG.finditer(text):
        out.append((m.start(), f"<{m.group(1).lower()}>"))
    for m in _EVENT.finditer(text):
        out.append((m.start(1), f"{m.group(1).lower()}="))
    for m in _URL_START.finditer(text):
        scheme = _bad_scheme(text[m.end():])
        if scheme:
            out.append((m.end(), f"{scheme}: URL"))
    return sorted(set(out))


# a fence opener's info string is a language word and/or {attributes} (no backtick): "``` a ` b"
# is inline code in a paragraph, not a fence, and the HTML after it is live
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*[\w#.+-]*[ \t]*(?:\{[^}`\n]*\})?[ \t]*$\n?"
                    r"(?:.*?\n)*?(?P=indent)?(?P=fence)[`~]*[ \t]*$", re.M)
# a code span never crosses a blank line (a paragraph boundary) nor a line that starts an HTML block
_INLINE = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n|\n[ \t]*<[A-Za-z/!?]).)+?(?<!`)\1(?!`)", re.S)


def mask_code(text: str) -> str:
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    return _INLINE.sub(blank, _FENCE.sub(blank, text))


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            name = (name or "").lower()
            if name.startswith("on"):
                self.found.append(f"{name}=")
            elif name in URL_ATTRS and value:
                scheme = _bad_scheme(value)
                if scheme:
                    self.found.append(f"{scheme}: URL")


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# a start tag, with quoted attribute values that may contain ">"
_START_TAG = re.compile(r"<[a-zA-Z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def scan_html(html: str) -> list[str]:
    """Forbidden constructs in rendered page content (attribute values already entity-decoded).

    Only the start tags are parsed (text between tags cannot hold a tag or an attribute), which makes
    the scan several times faster on long pages."""
    tags = "\n".join(m.group(0) for m in _START_TAG.finditer(_COMMENT.sub("", html)))
    p = _Scanner()
    p.feed(tags)
    p.close()
    return sorted(set(p.found))
