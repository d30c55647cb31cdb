"""The layering of the apps, checked on the source (docs/architecture.md, "Layout").

    participation  <  workshops, voting  <  results  <  facilitation, demo  <  config

An app imports only apps below it; apps on one floor do not import each other; nothing
imports config (the composition root). And no import circle between the project's modules.
Every import counts, also one inside a function: it only moves the circle to run time.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOORS = {
    "participation": 0,
    "workshops": 1,
    "voting": 1,
    "results": 2,
    "facilitation": 3,
    "demo": 3,
    "config": 4,
}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources():
    """Module name -> path for every .py of the apps, without migrations and tests."""
    sources = {}
    for app in FLOORS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts or "__pycache__" in parts:
                continue
            sources[_module_name(path)] = path
    return sources


def _imports(name, path, modules):
    """(line, imported project module) for each import in the file, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            # "from a import b" imports the module a.b when there is one, else a name of a.
            targets = [f"{origin}.{alias.name}" for alias in node.names]
            targets = [target if target in modules else origin for target in targets]
        else:
            continue
        for target in targets:
            # The most specific project module the import names.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((node.lineno, target))
    return found


def _graph():
    sources = _sources()
    edges = defaultdict(dict)  # module -> {imported module: first line}
    for name, path in sources.items():
        for line, target in _imports(name, path, sources):
            edges[name].setdefault(target, line)
    return sources, edges


def _app(module):
    return module.partition(".")[0]


def test_every_app_has_a_floor():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(FLOORS), f"apps without a floor in tests/test_layering.py: {sorted(apps - set(FLOORS))}"


def test_no_app_imports_one_above_it_or_beside_it():
    sources, edges = _graph()
    wrong = []
    for module, targets in edges.items():
        here = _app(module)
        for target, line in targets.items():
            there = _app(target)
            if there == here:
                continue
            if there == "config" or FLOORS[there] >= FLOORS[here]:
                where = sources[module].relative_to(ROOT)
                floors = f"{here} is floor {FLOORS[here]}, {there} {FLOORS[there]}"
                wrong.append(f"{where}:{line} imports {target} ({floors})")
    assert not wrong, "imports against the layering:\n" + "\n".join(sorted(wrong))


def _circles(edges):
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(tuple(sorted(component)))
    return found


def test_no_import_circle():
    sources, edges = _graph()
    circles = _circles(edges)
    lines = []
    for circle in circles:
        members = set(circle)
        lines.append("circle: " + ", ".join(circle))
        for module in circle:
            for target, line in sorted(edges[module].items()):
                if target in members:
                    lines.append(f"  {sources[module].relative_to(ROOT)}:{line} imports {target}")
    assert not circles, "import circles:\n" + "\n".join(lines)


def test_the_check_sees_imports_inside_functions(tmp_path):
    # The checker itself: a relative import inside a function is found and resolved.
    path = tmp_path / "late.py"
    path.write_text("def f():\n    from .models import Thing\n    import results.compute\n")
    modules = {"voting.late", "voting.models", "results.compute"}
    assert _imports("voting.late", path, modules) == [(2, "voting.models"), (3, "results.compute")]
