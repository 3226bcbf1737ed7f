"""YAML loading through libyaml when available (PyYAML's C loader is ~10x faster than the pure-Python
one), with the same safe semantics and error marks, made strict for files contributors write:

- a key written twice in one mapping is an error (YAML keeps the last one silently: a duplicate
  `value:` under a fine would change the amount on every page that shows it);
- anchors and aliases (`&name`, `*name`) and merge keys (`<<`) are refused: nobody needs them in
  front matter or data/, and an alias "bomb" (a few lines that expand to billions of nodes) must fail
  at once instead of making the build run for minutes;
- an impossible date (2026-13-01) and a structure nested too deeply are YAML errors with a line,
  not a ValueError or a RecursionError traceback.

Every error raised here is a ``yaml.MarkedYAMLError`` (a ``yaml.YAMLError``) with ``problem_mark``
set, so callers that already report ``mark.line + 1`` keep working.
"""
from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError
MAX_DEPTH = 100  # nesting levels; real files use fewer than 10


class StrictYAMLError(ConstructorError):
    """A construct the project refuses (duplicate key, alias, merge key, bad date, too deep)."""

    def __init__(self, problem: str, mark, code: str):
        super().__init__(None, None, problem, mark)
        self.code = code


class StrictLoader(_Base):
    """Safe loader that refuses duplicate keys, anchors/aliases and merge keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._seen_nodes: set[int] = set()

    def construct_object(self, node, deep=False):
        # libyaml resolves an alias to the very node object it names: meeting a node a second time
        # means it was reached through an alias
        nid = id(node)
        if nid in self._seen_nodes:
            raise StrictYAMLError("an alias ('*name') repeats another part of the file; aliases and anchors are not allowed, write the value out",
                                  node.start_mark, "alias")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self._seen_nodes.add(nid)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise StrictYAMLError(f"the structure is nested more than {MAX_DEPTH} levels deep", node.start_mark, "deep")
            return super().construct_object(node, deep=True)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        seen: dict = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise StrictYAMLError("merge keys ('<<') are not allowed; write the keys out", key_node.start_mark, "merge")
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in seen:
                    raise StrictYAMLError(f"the key '{key}' is written twice in the same block (first on line {seen[key] + 1}); YAML would silently keep only the last one",
                                          key_node.start_mark, "duplicate_key")
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=True)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as e:  # 2026-13-01, 2026-02-30
            raise StrictYAMLError(f"'{node.value}' is not a real date ({e})", node.start_mark, "bad_date")


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)

_ANCHOR_TOKENS = (yaml.AnchorToken, yaml.AliasToken)


def _refuse_anchors(text: str) -> None:
    """An anchor that nothing refers to does no harm, but the rule is simple: none at all. The
    token scan runs only when the text contains '&' (ordinary prose rarely does)."""
    if "&" not in text:
        return
    for tok in yaml.scan(text, Loader=_Base):
        if isinstance(tok, yaml.AnchorToken):
            raise StrictYAMLError(f"an anchor ('&{tok.value}') is not allowed; write each value out", tok.start_mark, "anchor")


def load(text: str, *, strict: bool = True):
    """Parse one YAML document. strict (the default, for every file a contributor writes): refuse
    duplicate keys, anchors, aliases and merge keys."""
    if not strict:
        return yaml.load(text, Loader=_Base)
    _refuse_anchors(text)
    try:
        return yaml.load(text, Loader=StrictLoader)
    except RecursionError:
        raise StrictYAMLError("the structure is nested too deeply", yaml.Mark("", 0, 0, 0, None, None), "deep") from None


def error_position(e: Exception) -> tuple[int, int, str]:
    """(line, column, problem) of a YAML error, 1-based, relative to the start of the YAML text;
    (0, 0, text) when the error has no position."""
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    if mark is None:
        return 0, 0, problem
    return mark.line + 1, mark.column + 1, problem


def locate(text: str, loc) -> int:
    """1-based line (within ``text``) of the deepest part of ``loc`` (a pydantic error location: keys
    and list indexes) found in the YAML text; 1 when nothing matches. Used to put file:line on
    schema errors."""
    try:
        node = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return 1
    line = 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
