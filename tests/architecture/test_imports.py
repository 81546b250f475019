"""The production packages' import graph: no circles, and the layers of docs/ARCHITECTURE.md."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("webhook", "logpage", "jobs", "poller", "models", "connectors", "cli", "demo",
            "alerts", "monitoring")
MODULES = ("wsgi", "config", "logconfig")

# package -> packages it must never import (the arrows of docs/ARCHITECTURE.md)
FORBIDDEN = {
    "connectors": {"models", "jobs", "webhook", "logpage", "poller", "cli", "sandbox"},
    "models": {"jobs", "webhook", "logpage", "poller", "connectors", "cli", "sandbox"},
    "jobs": {"webhook", "logpage", "poller", "cli", "sandbox"},
    "webhook": {"logpage", "poller", "cli", "sandbox"},
    "logpage": {"webhook", "poller", "cli", "sandbox"},
    "poller": {"webhook", "logpage", "cli", "sandbox"},
    "alerts": {"jobs", "webhook", "logpage", "poller", "cli", "sandbox"},
    "monitoring": {"alerts", "webhook", "logpage", "poller", "cli", "sandbox"},
}


def module_name(path):
    """The dotted module name of a file below ROOT."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def production_modules():
    """{module name: path} of every production module."""
    found = {name: ROOT / f"{name}.py" for name in MODULES}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[module_name(path)] = path
    return found


def imports_of(path, modules, own_name, is_package):
    """The production modules a file imports (module level and inside functions alike)."""
    found = set()
    package = own_name if is_package else own_name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            # The longest production module the name is, or lives in.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != own_name:
                found.add(name)
    return found


def import_graph():
    """{module: set of production modules it imports}."""
    modules = production_modules()
    return {name: imports_of(path, modules, name, path.name == "__init__.py")
            for name, path in modules.items()}


def find_cycle(graph):
    """One import circle as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_production_packages_have_no_import_circle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_circle():
    # The check above is only worth something if it can fail.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers_import_only_what_the_architecture_allows(package):
    graph = import_graph()
    wrong = sorted(f"{module} → {target}" for module, targets in graph.items()
                   if module.split(".")[0] == package
                   for target in targets if target.split(".")[0] in FORBIDDEN[package])
    assert not wrong, "\n".join(wrong)


def test_jobs_core_imports_no_flow_package():
    graph = import_graph()
    flows = ("jobs.orders", "jobs.inventory", "jobs.products", "jobs.shipments")
    wrong = sorted(f"{module} → {target}" for module, targets in graph.items()
                   if module.startswith("jobs.core")
                   for target in targets if target.startswith(flows))
    assert not wrong, "\n".join(wrong)


# The web layer reaches the jobs only through the queue module (docs/ARCHITECTURE.md), and the
# staff page that connects Brightpearl through jobs.core.connection (the OAuth code exchange
# happens in the request: the code is single-use, short-lived and must not sit in Redis).
ONLY = {
    "webhook": ("webhook", "models", "config", "jobs.core.queues", "monitoring"),
    "logpage": ("logpage", "models", "config", "jobs.core.queues", "jobs.core.connection",
                "monitoring"),
    "monitoring": ("monitoring", "models", "config", "connectors", "jobs.core.queues"),
}


@pytest.mark.parametrize("package", sorted(ONLY))
def test_the_web_layer_imports_only_models_and_the_queue_module(package):
    graph = import_graph()
    allowed = ONLY[package]
    wrong = sorted(f"{module} → {target}" for module, targets in graph.items()
                   if module.split(".")[0] == package
                   for target in targets
                   if not any(target == a or target.startswith(a + ".") for a in allowed))
    assert not wrong, "\n".join(wrong)
