"""A small shape language for contract tests: what a platform's answer must look like.

    conforms(value, {"id": INT, "name?": STR, "tags": [STR]})  -> [] or a list of problems

A dict spec is exact: every key without "?" must be there and no other key may be. A list spec
[item] checks every element. Nullable(spec) also allows None; Pattern(regex) is a string that
matches; Eq(value) one value; IdMap(spec) an object keyed by numeric ids; AnyOf(...) a choice.
"""
import re
from dataclasses import dataclass
from typing import Callable

ANY = object()


@dataclass
class Contract:
    """One endpoint's call (against a test's world) and the answer it must give."""

    method: str
    endpoint: str
    call: Callable
    status: int
    spec: object
    why: str = ""


def label(contract):
    """A test id for a contract."""
    return f"{contract.method} {contract.endpoint} -> {contract.status}"


def assert_answers(contract, world):
    """Make the contract's call against world; assert its status and its body's shape (a
    redirect's Location and an HTML page's text stand for the body)."""
    answer = contract.call(world)
    assert answer.status_code == contract.status, answer.text[:300]
    if answer.is_redirect:
        body = answer.headers["Location"]
    elif answer.headers.get("Content-Type", "").startswith("text/html"):
        body = answer.text
    else:
        body = answer.json()
    problems = conforms(body, contract.spec)
    assert not problems, "\n".join(problems[:20])


def uncovered(app, contracts):
    """(endpoints without a contract, contracts naming no endpoint) of a Flask app, by
    (method, endpoint), the control API left out."""
    endpoints = {(method, rule.endpoint) for rule in app.url_map.iter_rules()
                 if not rule.rule.startswith("/_sandbox") and rule.endpoint != "static"
                 for method in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(c.method, c.endpoint) for c in contracts}
    return endpoints - covered, covered - endpoints


class Nullable:
    """spec, or None."""

    def __init__(self, spec):
        self.spec = spec


class Pattern:
    """A string matching regex from start to end."""

    def __init__(self, regex):
        self.regex = re.compile(regex)


class Eq:
    """Exactly this value (and this JSON type: True is not 1)."""

    def __init__(self, value):
        self.value = value


class IdMap:
    """An object whose keys are numeric ids (as strings) and whose values match spec."""

    def __init__(self, spec, key=r"[0-9]+"):
        self.spec, self.key = spec, re.compile(key)


class AnyOf:
    """Any one of the specs."""

    def __init__(self, *specs):
        self.specs = specs


class Check:
    """A spec given as a function value -> problem text or None."""

    def __init__(self, function):
        self.function = function


class AllOf(Check):
    """Every one of the specs."""

    def __init__(self, *specs):
        super().__init__(lambda v: "; ".join(p for s in specs for p in conforms(v, s)) or None)


INT = Check(lambda v: None if isinstance(v, int) and not isinstance(v, bool) else "not an int")
NUM = Check(lambda v: None if isinstance(v, (int, float)) and not isinstance(v, bool)
            else "not a number")
STR = Check(lambda v: None if isinstance(v, str) else "not a string")
BOOL = Check(lambda v: None if isinstance(v, bool) else "not a boolean")
DICT = Check(lambda v: None if isinstance(v, dict) else "not an object")


def conforms(value, spec, path="$"):
    """Every way value differs from spec, as 'path: problem' strings ([] when it conforms)."""
    if spec is ANY:
        return []
    if isinstance(spec, Nullable):
        return [] if value is None else conforms(value, spec.spec, path)
    if value is None:
        return [f"{path}: null"]
    if isinstance(spec, Check):
        problem = spec.function(value)
        return [f"{path}: {problem} ({value!r:.60})"] if problem else []
    if isinstance(spec, Eq):
        same = value == spec.value and type(value) is type(spec.value)
        return [] if same else [f"{path}: {value!r:.60} is not {spec.value!r}"]
    if isinstance(spec, Pattern):
        if isinstance(value, str) and spec.regex.fullmatch(value):
            return []
        return [f"{path}: {value!r:.60} does not match {spec.regex.pattern}"]
    if isinstance(spec, AnyOf):
        tries = [conforms(value, s, path) for s in spec.specs]
        return [] if any(not t for t in tries) else min(tries, key=len)
    if isinstance(spec, IdMap):
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        problems = [f"{path}: key {k!r} is not an id" for k in value if not spec.key.fullmatch(k)]
        for key, item in value.items():
            problems += conforms(item, spec.spec, f"{path}.{key}")
        return problems
    if isinstance(spec, list):
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [p for i, item in enumerate(value) for p in conforms(item, spec[0], f"{path}[{i}]")]
    if isinstance(spec, dict):
        return _object(value, spec, path)
    if isinstance(spec, type):
        return [] if isinstance(value, spec) else [f"{path}: not {spec.__name__}"]
    raise TypeError(f"unknown spec {spec!r}")


def _object(value, spec, path):
    if not isinstance(value, dict):
        return [f"{path}: not an object"]
    problems = []
    keys = {k.rstrip("?"): k.endswith("?") for k in spec}
    for name, optional in keys.items():
        if name not in value:
            if not optional:
                problems.append(f"{path}: missing {name!r}")
            continue
        problems += conforms(value[name], spec[name + ("?" if optional else "")], f"{path}.{name}")
    problems += [f"{path}: unexpected {k!r}" for k in value if k not in keys]
    return problems
