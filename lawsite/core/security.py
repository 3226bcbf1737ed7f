"""What contributors write may not run, overlay, leak or change what a page is.

Three layers, all linear in their input:

- ``scan_markup(body)``: on the Markdown source, with offsets (``lawsite check`` and the build report
  file:line:col). Code spans and fenced code are ignored, so documentation can show examples.
- ``sanitize(html)``: THE allow-list (one policy, ``POLICY``), applied by a real HTML5 parser
  (justhtml) to the rendered HTML of every page body. Whatever it removes is reported; the page is
  published in its sanitised form, so even a non-strict build publishes nothing outside the list.
  ``scan_html(html)`` is the same parse reduced to the dangerous part (forbidden elements, event
  handlers, bad URL schemes), kept for callers that only want that.
- ``check_page(html, allowed_hashes)``: the finished page (templates included) parsed once more:
  inline scripts must be the theme's own (by hash), no event handler, no style attribute, no
  bad URL, no element that takes over the page, wherever it came from (front matter, data, nav).
- ``check_text(value)``: a plain-text value (title, description, …) that reaches a template: no
  markup, no character references, no control or direction-changing characters.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import html as _html
import re
from dataclasses import dataclass
from functools import lru_cache

from lawsite.core import diskmemo

FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "meta",
                  "link", "form", "svg", "math", "portal", "dialog", "plaintext", "textarea", "xmp", "noembed",
                  "noframes", "template", "select", "button", "marquee")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data", "cite", "ping"}
# bidi embedding/override/isolate controls and NUL: never in contributed text
BIDI_OR_NUL = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")

_TAG = re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")(?![\w-])", re.I)
# an event-handler attribute: in an HTML tag (after space, "/", or a closing quote) or in an
# attribute list {: onclick="…"}; prose never writes "onxxx=" glued to one of these separators
_EVENT = re.compile(r"(?:(?<=[\s/\"'{;:])|^)(on[a-z]{3,})\s*=", re.I | re.M)
# an inline style in an attribute list or a tag: {: style="…" } / <div style=…>
_STYLE_ATTR = re.compile(r"(?:(?<=[\s/\"'{;:])|^)(style)\s*=", re.I | re.M)
# where a URL starts: Markdown link/image "](", reference definition "]:", an HTML URL attribute,
# an angle-bracket autolink
_URL_START = re.compile(r"\]\(\s*<?|\]:[ \t]*<?|(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(URL_ATTRS))
                        + r")\s*=\s*[\"']?|<(?=[a-z&]{4})", re.I)
_STRIP = re.compile(r"[\x00-\x20\x7f]+")
_MAYBE_BAD = re.compile(r"[\x00-\x20\x7f]*[jvdJVD&]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")


def _bad_scheme(tail: str) -> str | None:
    """The forbidden scheme a URL starts with, after decoding entities and dropping the whitespace
    and control characters browsers ignore inside a scheme (java&#x09;script:, &#106;avascript:)."""
    decoded = _html.unescape(tail[:120])
    decoded = _STRIP.sub("", decoded).lower()
    for s in BAD_SCHEMES:
        if decoded.startswith(s):
            return s[:-1]
    return None


def url_ok(url: str, *, relative: bool = True, schemes=ALLOWED_SCHEMES) -> bool:
    """A URL a contributor may publish: one of ``schemes`` or (when ``relative``) relative/fragment.
    "//host/x" (protocol-relative) counts as absolute and needs https in ``schemes``."""
    if re.search(r"[\s\"'<>`\\\x00-\x1f]", str(url).strip()):
        return False  # a quote or bracket in a URL is an attempt to leave the attribute
    u = _STRIP.sub("", _html.unescape(str(url))).lower()
    m = _SCHEME.match(u)
    if m and (len(m.group(1)) > 1 or not re.match(r"[a-z]:[\\/]", u)):
        return m.group(1) in schemes
    if u.startswith("//"):
        return "https" in schemes
    if ":" in u.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return False  # "x:y" before any "/", "?", "#": a scheme the browser may honour
    return relative


MAX_LIST_DEPTH = 6  # deeper lists are unreadable and make Markdown's recursion blow up
_LIST_ITEM = re.compile(r"^((?:[ ]{4}|\t)*)(?:[ ]{0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.M)
_BLOCKQUOTE = re.compile(r"^(?:[ ]{0,3}>[ ]?){%d,}" % (MAX_LIST_DEPTH + 1), re.M)


def scan_markup(body: str, *, tool: bool = False) -> list[tuple[int, str]]:
    """Offsets and names of forbidden constructs in a Markdown body (code is ignored); `tool`: an
    answer-tool page, where the tool profile's elements (TOOL_TAGS) are allowed."""
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
        if tool and m.group(1).lower() in TOOL_TAGS:
            continue
        out.append((m.start(), f"<{m.group(1).lower()}>"))
    for m in _EVENT.finditer(text):
        out.append((m.start(1), f"{m.group(1).lower()}="))
    for m in _STYLE_ATTR.finditer(text):
        out.append((m.start(1), "style="))
    for m in _URL_START.finditer(text):
        if not _MAYBE_BAD.match(text, m.end()):
            continue  # cheap test first: a bad scheme starts with j, v, d or an entity
        scheme = _bad_scheme(text[m.end():m.end() + 200])
        if scheme:
            out.append((m.end(), f"{scheme}: URL"))
    for m in BIDI_OR_NUL.finditer(text):
        out.append((m.start(), f"U+{ord(m.group(0)):04X}"))
    return sorted(set(out))


# --- code masking, linear time -----------------------------------------------------------------
# A fence opener's info string is a language word and/or {attributes} (no backtick): "``` a ` b"
# is inline code in a paragraph, not a fence, and the HTML after it is live. A fence without a
# closing line is not code (Python-Markdown renders it as a paragraph): it is scanned.
_OPENER = re.compile(r"([ \t]*)(`{3,}|~{3,})[ \t]*[\w#.+-]*[ \t]*(?:\{[^}`\n]*\})?[ \t]*")
_CLOSER = re.compile(r"([ \t]*)(`+|~+)[`~]*[ \t]*")


def _fence_spans(lines: list[str], starts: list[int]) -> list[tuple[int, int]]:
    """Fenced blocks, in one pass plus one forward scan per block found: an opener is rejected in
    O(1) when no later closing line is long enough (suffix maxima); otherwise the scan stops at the
    first closing line and the search resumes after it, so no line is scanned twice."""
    closers: dict[tuple[str, str], list[tuple[int, int]]] = {}
    openers = []
    for i, line in enumerate(lines):
        m = _CLOSER.fullmatch(line)
        if m:
            closers.setdefault((m.group(1), m.group(2)[0]), []).append((i, len(m.group(2))))
        m = _OPENER.fullmatch(line)
        if m:
            openers.append((i, m.group(1), m.group(2)))
    pos = {k: [p for p, _ in v] for k, v in closers.items()}
    suf = {}
    for k, v in closers.items():
        acc, out = 0, [0] * len(v)
        for t in range(len(v) - 1, -1, -1):
            acc = max(acc, v[t][1])
            out[t] = acc
        suf[k] = out
    spans, done = [], -1
    for i, indent, fence in openers:
        if i <= done:
            continue
        need = len(fence)
        keys = [k for k in {(indent, fence[0]), ("", fence[0])} if k in closers]
        ptr = {}
        for k in keys:
            t = bisect.bisect_right(pos[k], i)
            if t < len(pos[k]) and suf[k][t] >= need:
                ptr[k] = t
        if not ptr:
            continue
        best = None
        while ptr and best is None:  # merge the candidate lists by line; stop at the first long enough
            k = min(ptr, key=lambda kk: closers[kk][ptr[kk]][0])
            line_no, run = closers[k][ptr[k]]
            if run >= need:
                best = line_no
                break
            ptr[k] += 1
            if ptr[k] >= len(closers[k]) or suf[k][ptr[k]] < need:
                del ptr[k]
        if best is not None:
            spans.append((starts[i], starts[best] + len(lines[best])))
            done = best
    return spans


_BOUNDARY = re.compile(r"\n[ \t]*(?:\n|<[A-Za-z/!?])")


def _inline_spans(text: str) -> list[tuple[int, int]]:
    """Code spans: a run of N backticks up to the next run of exactly N, inside one paragraph (not
    across a blank line nor a line that starts an HTML block). Each run is looked at once."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    # every newline that starts a boundary (overlapping ones too: "\n\n\n")
    bounds = [m.start() for m in re.finditer(r"\n(?=[ \t]*(?:\n|<[A-Za-z/!?]))", text)]
    by_len: dict[int, list[int]] = {}
    for k, (s, e) in enumerate(runs):
        by_len.setdefault(e - s, []).append(k)
    ptr = dict.fromkeys(by_len, 0)
    spans, k = [], 0
    while k < len(runs):
        s, e = runs[k]
        n = e - s
        lst = by_len[n]
        while ptr[n] < len(lst) and lst[ptr[n]] <= k:
            ptr[n] += 1
        if ptr[n] < len(lst):
            m = lst[ptr[n]]
            cs, ce = runs[m]
            b = bisect.bisect_left(bounds, e)
            if cs > e and not (b < len(bounds) and bounds[b] < cs):
                spans.append((s, ce))
                k = m + 1
                continue
        k += 1
    return spans


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    out, last = [], 0
    for s, e in spans:
        out.append(text[last:s])
        out.append(re.sub(r"[^\n]", " ", text[s:e]))
        last = e
    out.append(text[last:])
    return "".join(out)


def mask_code(text: str) -> str:
    """``text`` with fenced code and code spans blanked (same length, newlines kept)."""
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    text = _blank(text, _fence_spans(lines, starts))
    return _blank(text, _inline_spans(text))


# --- the allow-list ------------------------------------------------------------------------------
# Elements Markdown and the site's extensions produce (abbr, admonition, attr_list, def_list,
# footnotes, md_in_html, tables, toc, pymdownx.details/superfences/tabbed/tasklist) and the engine's
# own markup (citation links, procedure card, page history). Nothing else reaches a page body.
ALLOWED_TAGS = frozenset("""
a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption figure h2 h3 h4 h5 h6
hr i img input ins kbd label li mark ol p pre q s samp section small span strong sub summary sup table
tbody td tfoot th thead time tr u ul var wbr""".split())
# classes: the extensions' and the engine's; no Material layout class ("md-…"), which could pin a
# box over the page
_CLASS = (r"(?:admonition(?:-title)?|note|abstract|summary|tldr|info|todo|tip|hint|important|success|check|done|"
          r"question|help|faq|warning|caution|attention|failure|fail|missing|danger|error|bug|example|quote|cite|"
          r"headerlink|doc-status|clause-summary(?:--[a-z]+)?|footnote(?:-ref|-backref)?|task-list(?:-item|-control|-indicator)?|tabbed-(?:set|alternate|"
          r"labels|content|block)|highlight|highlighttable|linenos|lawsite-[a-z0-9_-]+|procedure-card(?:__[a-z0-9_-]+)?|"
          r"inline|end|annotate|(?:language|lang)-[a-z0-9_+#-]+)")
_TOKEN = r"[A-Za-z0-9_:.-]+"
_GLOBAL_ATTRS = {
    "id": [r"re:" + _TOKEN],
    "class": [r"re:" + _CLASS + r"(?:\s+" + _CLASS + r")*"],
    "title": [r"re:[^\x00]*"],
    "lang": [r"re:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"],
    "aria-label": [r"re:[^\x00]*"],
    "aria-labelledby": [r"re:" + _TOKEN],
    "aria-describedby": [r"re:" + _TOKEN],
    "aria-hidden": ["true", "false"],
    "data-provision": [r"re:[0-9a-zđ.]{1,24}"],  # clause summaries on generated document pages
}
_TAG_ATTRS = {
    # Pygments token classes in highlighted code (superfences): "p", "nt", "s2", "err", …
    "span": {"class": [r"re:(?:" + _CLASS + r"|[a-z]{1,3}[0-9]?|filename)(?:\s+(?:" + _CLASS + r"|[a-z]{1,3}[0-9]?|filename))*"]},
    "a": {"href": None, "hreflang": [r"re:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"], "rel": [r"re:[a-z ]+"],
          "data-doc": None, "data-article": None, "data-articles": None, "data-clause": None, "data-point": None},
    "abbr": {"title": None},
    "img": {"src": None, "alt": None, "width": [r"re:\d{1,4}"], "height": [r"re:\d{1,4}"], "loading": ["lazy"]},
    "td": {"align": ["left", "right", "center"], "colspan": [r"re:\d{1,3}"], "rowspan": [r"re:\d{1,3}"]},
    "th": {"align": ["left", "right", "center"], "colspan": [r"re:\d{1,3}"], "rowspan": [r"re:\d{1,3}"],
           "scope": ["row", "col", "rowgroup", "colgroup"]},
    "ol": {"start": [r"re:\d{1,6}"], "type": ["1", "a", "A", "i", "I"]},
    "li": {"value": [r"re:\d{1,6}"]},
    "time": {"datetime": [r"re:[0-9T:+Z. -]{4,40}"]},
    "details": {"open": None},
    "input": {"type": ["checkbox", "radio"], "checked": None, "disabled": None, "name": [r"re:" + _TOKEN]},
    "label": {"for": [r"re:" + _TOKEN]},
    "section": {"aria-labelledby": None},
    "p": {"role": ["note"]},
    "code": {}, "pre": {}, "blockquote": {}, "q": {}, "del": {}, "ins": {},
}
URL_RULES = {("a", "href"): ("https", "http", "mailto", "tel"), ("img", "src"): ()}

# Answer tools (docs/cong-cu/, front matter `tool: <name>`): the page may also hold the tool's form
# controls and the inert <template> its script fills in. Nothing here can run, submit or load
# anything: no <form>, no URL attribute, no style; the script is the project's own file.
TOOLS = frozenset({"overstay", "penalty", "visa"})
TOOL_DIR = "cong-cu/"
TOOL_TAGS = frozenset({"fieldset", "legend", "button", "template", "select", "option"})  # select/option: penalty and visa tools
_TOOL_DATA = ("data-band", "data-basis", "data-expulsion", "data-fine", "data-days", "data-from", "data-if", "data-label",
              "data-max", "data-min", "data-overstay-bands", "data-overstay-tool", "data-pagefind-ignore",
              "data-result", "data-slot", "data-to", "data-unit",
              # penalty tool (docs/cong-cu/muc-phat*.md)
              "data-act", "data-crime", "data-extra", "data-only", "data-penalty-acts", "data-penalty-tool", "data-who",
              "data-warning")
_TOOL_GLOBAL = {**{k: [r"re:[A-Za-z0-9 _-]{0,40}"] for k in _TOOL_DATA}, "hidden": None}
_TOOL_TAG_ATTRS = {
    "input": {"type": ["number", "date", "checkbox", "radio"], "min": [r"re:-?\d{1,10}"], "max": [r"re:-?\d{1,10}"],
              "step": [r"re:\d{1,6}"], "inputmode": ["numeric", "decimal"], "autocomplete": ["off"]},
    "button": {"type": ["button"]},
    "option": {"value": [r"re:[a-z0-9-]{0,40}", r"re:[A-Z]{0,2}"]},  # penalty tool: act ids; visa tool: a country code ("" for the prompt)
    "div": {"role": ["status", "group"], "aria-live": ["polite"], "aria-atomic": ["true", "false"]},
}


def tool_page(src_uri: str, meta: dict) -> bool:
    """A page that may use the tool profile: under docs/cong-cu/ and naming a known tool."""
    return src_uri.startswith(TOOL_DIR) and isinstance(meta, dict) and meta.get("tool") in TOOLS


@lru_cache(maxsize=2)
def _policy(tool: bool = False):
    from justhtml import Regex, SanitizationPolicy, UrlPolicy, UrlRule

    def rules(spec):
        if spec is None:
            return None
        return [Regex(s[3:]) if s.startswith("re:") else s for s in spec]

    glob = {**_GLOBAL_ATTRS, **(_TOOL_GLOBAL if tool else {})}
    attrs: dict = {"*": {k: rules(v) for k, v in glob.items()}}
    for tag, spec in _TAG_ATTRS.items():
        attrs[tag] = {k: rules(v) for k, v in spec.items()}
    if tool:
        for tag, spec in _TOOL_TAG_ATTRS.items():
            attrs[tag] = {**attrs.get(tag, {}), **{k: rules(v) for k, v in spec.items()}}
    # justhtml: a mapping means "these attributes, with these values"; None = any value
    for tag in list(attrs):
        attrs[tag] = {k: (v if v is not None else [Regex(r"[^\x00]*")]) for k, v in attrs[tag].items()}
    url = UrlPolicy(default_handling="strip", default_allow_relative=True, allow_rules={
        key: UrlRule(allowed_schemes=set(schemes), allow_relative=True, resolve_protocol_relative=None, handling="allow")
        for key, schemes in URL_RULES.items()})
    drop = {"script", "style", "textarea", "plaintext", "xmp", "noembed", "noframes", "template", "iframe", "object",
            "title", "svg", "math"} - ({"template"} if tool else set())
    return SanitizationPolicy(allowed_tags=ALLOWED_TAGS | (TOOL_TAGS if tool else frozenset()), allowed_attributes=attrs,
                              url_policy=url, drop_comments=False, unsafe_handling="collect",  # comments are inert once parsed
                              drop_content_tags=drop,
                              disallowed_tag_handling="unwrap", strip_invisible_unicode=True)


@dataclass
class Removed:
    """Something the allow-list removed: ``what`` names it for a message, ``line``/``col`` are in
    the HTML given to ``sanitize``, ``needle`` is text to look for in the sources."""
    what: str
    line: int
    col: int
    needle: str
    needles: tuple = ()  # more specific first: the original markup as written, then the name


_LONE_LT = re.compile(r"<(?![A-Za-z/!?])")
_TABLE_ALIGN = re.compile(r'(<t[hd]\b[^>]*?) style="text-align: (left|right|center);"')
_START_AT = re.compile(r"<[A-Za-z][^\s/>]*(?:\s+[^\s=>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?)*\s*/?>?")
_MSG = re.compile(r"Unsafe (tag|attribute|URL in attribute) '([^']+)'")


def _line_offsets(text: str) -> list[int]:
    out = [0]
    out += [m.end() for m in re.finditer("\n", text)]
    return out


def _explain(html: str, offsets: list[int], err) -> Removed | None:
    msg = err.message or ""
    line, col = err.line or 1, err.column or 1
    off = offsets[min(line, len(offsets)) - 1] + col - 1
    tag_text = ""
    if 0 <= off < len(html):
        m = _START_AT.match(html, off, min(len(html), off + 4000))
        tag_text = m.group(0) if m else html[off:off + 80]
    if msg.startswith("Dropped comment") or msg.startswith("Dropped doctype"):
        return None
    if "invisible" in msg.lower():
        seg = html[off:off + 2000]
        ch = BIDI_OR_NUL.search(seg) or re.search("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufe00-\ufe0f\ufeff]", seg)
        what = f"U+{ord(ch.group(0)):04X}" if ch else "invisible characters"
        return Removed(what, line, col, ch.group(0) if ch else "")
    m = _MSG.search(msg)
    if not m:
        return Removed(msg, line, col, tag_text[:40])
    kind, name = m.groups()
    if kind == "tag":
        snippet = html[off:off + 60] if html[off:off + 1] == "<" else ""
        more = tuple(x for x in (snippet[:40], snippet[:20], "<" + name, name if len(name) >= 4 else "") if x)
        return Removed(f"<{name}>", line, col, "<" + name, more)
    if kind == "attribute":
        if name == "class":
            v = re.search(r"""\bclass\s*=\s*["']?([^"'>]*)""", tag_text, re.I)
            return Removed(f"class=\"{v.group(1) if v else ''}\"", line, col, v.group(1).split()[0] if v and v.group(1).split() else "class")
        what = name + "="
        v = re.search(r"""\b%s\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""" % re.escape(name), tag_text, re.I)
        value = next((g for g in v.groups() if g is not None), "") if v else ""
        more = tuple(x for x in (f"{name}={value}"[:40] if value else "", value[:30] if len(value) >= 6 else "", name) if x)
        return Removed(what, line, col, name, more)
    v = re.search(r"""\b%s\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""" % re.escape(name), tag_text, re.I)
    value = next((g for g in v.groups() if g is not None), "") if v else ""
    scheme = _SCHEME.match(_STRIP.sub("", _html.unescape(value)).lower())
    what = f"{scheme.group(1)}: URL" if scheme else f"URL '{value[:60]}'"
    return Removed(what, line, col, value[:60] or name, tuple(x for x in (value[:60], value[:30], name) if x))


def sanitize(html: str, *, tool: bool = False) -> tuple[str, list[Removed]]:
    """The page body reduced to the allow-list, and what was removed. When nothing was removed the
    HTML is returned unchanged (byte for byte); otherwise it is the sanitised serialisation.
    `tool`: the page is an answer tool (see `tool_page`), which may also hold the tool profile.
    Kept on disk by content with LAWSITE_CACHE=1 (lawsite.core.diskmemo)."""
    return diskmemo.memo("sanitize", (html, str(bool(tool))), lambda: _sanitize(html, tool), libs=("justhtml",),
                         valid=lambda v: isinstance(v, tuple) and isinstance(v[0], str)
                         and all(isinstance(r, Removed) for r in v[1]))


def _sanitize(html: str, tool: bool) -> tuple[str, list[Removed]]:
    from justhtml import JustHTML

    html = _TABLE_ALIGN.sub(r'\1 align="\2"', html)  # Markdown tables' alignment: an attribute, not a style
    # a "<" that cannot start a tag is text for every HTML5 parser; written as &lt; the parse is the
    # same, and the parser stays linear on "<<<<…" (it is quadratic on long runs of them)
    html = _LONE_LT.sub("&lt;", html)
    pol = _policy(tool)
    pol.reset_collected_security_errors()
    doc = JustHTML(html, fragment=True, sanitize=True, policy=pol, track_node_locations=True,
                   max_errors=max(1000, len(html)))  # every removal is reported, however many there are
    errs = [e for e in doc.errors if e.category == "security"]
    offsets = _line_offsets(html)
    removed = [r for r in (_explain(html, offsets, e) for e in errs) if r is not None]
    for m in BIDI_OR_NUL.finditer(html):  # NUL is dropped by the parser without a word
        if m.group(0) == "\x00":
            ln = bisect.bisect_right(offsets, m.start())
            removed.append(Removed("U+0000", ln, m.start() - offsets[ln - 1] + 1, "\x00"))
    if not errs and not BIDI_OR_NUL.search(html):
        return html, []
    # bidi overrides and NUL go everywhere, comments included (the parser keeps a comment's text as is)
    return BIDI_OR_NUL.sub("", doc.to_html(pretty=False)), removed


def scan_html(html: str) -> list[str]:
    """The dangerous part of what the allow-list removes from rendered content: forbidden elements,
    event handlers, javascript:/vbscript:/data: URLs, inline styles."""
    _, removed = sanitize(html)
    out = set()
    for r in removed:
        w = r.what
        if (w.startswith("<") and w.strip("<>") in FORBIDDEN_TAGS) or w.startswith("on") or w == "style=" \
                or w in {f"{s[:-1]}: URL" for s in BAD_SCHEMES}:
            out.add(w)
    return sorted(out)


# --- values that reach templates -----------------------------------------------------------------
_CHAR_REF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2028\u2029\ufeff]")


def check_text(value) -> list[str]:
    """What is wrong with a plain-text value that a template prints (title, description, …)."""
    s = str(value)
    out = []
    if "<" in s or ">" in s:
        out.append("HTML markup (< >)")
    if _CHAR_REF.search(s):
        out.append(f"a character reference ({_CHAR_REF.search(s).group(0)})")
    c = _CONTROL.search(s)
    if c:
        out.append(f"an invisible or control character U+{ord(c.group(0)):04X}")
    return out


def neutral_text(value) -> str:
    """A value made harmless for templates that print it raw (the build has already failed)."""
    s = _CONTROL.sub("", str(value))
    return _html.escape(s, quote=True)


def safe_json(data) -> str:
    """JSON for a <script type="application/ld+json">: "<", ">", "&" and U+2028/2029 escaped, so
    nothing in the data can end the element or open a comment."""
    import json

    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- the finished page ---------------------------------------------------------------------------
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
_META_OK = {"charset", "name", "property"}


def _is_csp_meta(attrs) -> bool:
    """Our own Content-Security-Policy meta: a policy can only take rights away (several combine)."""
    return (attrs.get("http-equiv") or "").strip().lower() == "content-security-policy"
_LINK_RELS = {"canonical", "alternate", "icon", "stylesheet", "preload", "modulepreload", "prefetch", "manifest"}
PAGE_FORBIDDEN = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "dialog",
                  "plaintext", "textarea", "xmp", "noembed", "noframes", "marquee", "style")


def check_page(html: str, allowed_hashes: set[str]) -> list[tuple[str, str]]:
    """Problems in a finished page (templates included): (what, needle to look for in the sources).

    An inline script must be one of the theme's own (its hash in ``allowed_hashes``) or a JSON data
    block; an external script must come from this site; no element attribute may be an event
    handler or a style; no URL may use another scheme than the allowed ones.
    Kept on disk by content with LAWSITE_CACHE=1 (lawsite.core.diskmemo)."""
    hashes = tuple(sorted(allowed_hashes))
    return diskmemo.memo("check_page", (html, hashes), lambda: _check_page(html, set(hashes)), libs=("justhtml",),
                         valid=lambda v: isinstance(v, list) and all(isinstance(x, tuple) and len(x) == 2 for x in v))


def _check_page(html: str, allowed_hashes: set[str]) -> list[tuple[str, str]]:
    return _check_elements(_justhtml_elements(html), allowed_hashes)


# The page's elements for the rules, in document order (an element, then its children, then a
# template's content): (name, attributes, the data of its child nodes for a <script>, else None).
# The tree builder (justhtml) is apart from the rules (_check_elements), so another builder's tree can
# be fed to the same rules to compare verdicts (bench/security_parsers.py); none replaces justhtml:
# lexbor's tree differs where it matters (BENCHMARKS.md, buildperf5).
def _justhtml_elements(html: str):
    from justhtml import JustHTML

    doc = JustHTML(html, sanitize=False)
    stack = [doc.root]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", "")
        kids = getattr(node, "children", None) or []
        tc = getattr(node, "template_content", None)
        if tc is not None:
            kids = list(kids) + [tc]
        stack.extend(reversed(kids))
        if not name or name.startswith("#") or name == "!doctype":
            continue
        attrs = getattr(node, "attrs", None) or {}
        text = "".join(getattr(c, "data", "") or "" for c in kids) if name == "script" else None
        yield name, attrs, text


def _check_elements(elements, allowed_hashes: set[str]) -> list[tuple[str, str]]:
    """check_page's rules over ``elements`` (see _justhtml_elements)."""
    out: list[tuple[str, str]] = []
    for name, attrs, text in elements:
        if name == "script":
            typ = (attrs.get("type") or "").strip().lower()
            if "src" in attrs:
                if not url_ok(attrs.get("src") or "", schemes=()):
                    out.append(("<script src> from another site", attrs.get("src") or "<script"))
            elif typ in _DATA_SCRIPT_TYPES:
                pass
            else:
                body = text or ""
                if sha256_source(body) not in allowed_hashes:
                    out.append(("<script> that is not one of the theme's", body.strip()[:40] or "<script"))
        elif name in PAGE_FORBIDDEN:
            out.append((f"<{name}>", "<" + name))
        elif name == "meta":
            keys = set(attrs)
            if "http-equiv" in keys:  # whatever else it carries (a name= does not stop a refresh)
                if not (_is_csp_meta(attrs) and "data-lawsite-csp" in keys):
                    out.append(("<meta http-equiv>", "<meta"))
            elif not (keys & _META_OK) and "data-lawsite-csp" not in keys:
                out.append(("<meta http-equiv>", "<meta"))
        elif name == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if not rels or not rels <= _LINK_RELS:
                out.append((f"<link rel=\"{attrs.get('rel')}\">", "<link"))
        for a, v in attrs.items():
            a = a.lower()
            if a.startswith("on"):
                out.append((f"{a}=", a))
            elif a == "style":
                out.append(("style=", "style"))
            elif a in URL_ATTRS and v and name not in ("link", "script") and not url_ok(v):
                scheme = _SCHEME.match(_STRIP.sub("", _html.unescape(v)).lower())
                out.append((f"{scheme.group(1) if scheme else '?'}: URL", v[:60]))
            elif name == "form" and a == "action" and v and not url_ok(v, schemes=()):
                out.append(("<form action> to another site", v[:60]))
    return out


def sha256_source(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
