"""YAML loading through libyaml when available (PyYAML's C loader is ~10x faster than the pure-Python
one), with the same safe semantics and error marks."""
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load(text: str):
    return yaml.load(text, Loader=Loader)
