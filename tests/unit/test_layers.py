"""The layers of lib/ run one way: pages and cli -> ui -> the concerns -> storage -> DuckDB.

Each failure names the offending module and the import (or line) that breaks the rule.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lower rank may never import higher rank. The concerns share a rank: among them only circles are refused.
RANKS = {
    "lib.errors": 0,
    "lib.config": 0,
    "lib.text": 0,
    "lib.storage": 1,
    "lib.intake": 2,
    "lib.members": 2,
    "lib.matching": 2,
    "lib.pair_life": 2,
    "lib.messages": 2,
    "lib.insight": 2,
    "lib.demo": 3,
    "lib.privacy": 3,
    "lib.auth": 3,
    "lib.startup": 4,
    "lib.ui": 5,
    "lib.cli": 5,
    "lib.__main__": 6,
}
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.I | re.S)
DB_CALLS = re.compile(r"\.(execute|executemany|sql|cursor|fetchall|fetchone|fetchdf)\(|\bdb\.connect\(|\bduckdb\b")


def test_no_import_circle_in_lib():
    assert find_cycles(import_graph(ROOT)) == []


def test_no_import_circle_between_the_packages_of_lib():
    assert find_cycles(package_graph(import_graph(ROOT))) == []


def test_lower_layers_never_import_higher_ones():
    assert layer_violations(import_graph(ROOT)) == []


def test_streamlit_only_in_the_ui_layer():
    offenders = [
        f"{module} imports {target}"
        for module, targets in _raw_imports(ROOT).items()
        for target in targets
        if target.split(".")[0] == "streamlit" and rank_of(module) != RANKS["lib.ui"]
    ]
    assert offenders == []


def test_pages_hold_no_sql_and_no_database_calls():
    offenders = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        offenders += page_offences(path)
    assert offenders == []


def test_pages_stay_at_or_under_150_code_lines():
    long = {}
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        code = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]
        if len(code) > 150:
            long[path.name] = len(code)
    assert long == {}


def test_no_function_in_lib_spans_more_than_60_lines():
    long = []
    for path in sorted((ROOT / "lib").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
                )
    assert long == []


def test_the_checks_catch_a_planted_circle_and_a_layer_breach(tmp_path):
    (tmp_path / "lib" / "storage").mkdir(parents=True)
    (tmp_path / "lib" / "intake").mkdir()
    (tmp_path / "lib" / "storage" / "db.py").write_text("from lib.intake import skills\n")
    (tmp_path / "lib" / "intake" / "skills.py").write_text("from lib.storage import db\n")
    graph = import_graph(tmp_path)
    assert find_cycles(graph) == [["lib.intake.skills", "lib.storage.db", "lib.intake.skills"]]
    assert layer_violations(graph) == ["lib.storage.db (storage layer) imports lib.intake.skills (intake layer)"]


def test_the_page_check_names_sql_and_database_calls(tmp_path):
    page = tmp_path / "x.py"
    page.write_text('import duckdb\nrows = con.execute("SELECT name FROM applicants").fetchall()\n')
    found = page_offences(page)
    assert any("line 1" in f and "duckdb" in f for f in found)
    assert any("line 2" in f and "SELECT name FROM" in f for f in found)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the lib modules it imports, resolved to files that exist."""
    modules = _modules(root)
    graph = {}
    for module, targets in _raw_imports(root).items():
        graph[module] = {_resolve(t, modules) for t in targets if t.startswith("lib")} - {None, module}
    return graph


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same imports between lib's top-level packages and modules (lib.intake, lib.ui ...)."""
    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        top = ".".join(module.split(".")[:2])
        packages.setdefault(top, set()).update(".".join(t.split(".")[:2]) for t in targets)
        packages[top].discard(top)
    return packages


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each named from its smallest module and back to it."""
    cycles, seen = [], set()
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    key = frozenset(path)
                    if key not in seen and start == min(path):
                        seen.add(key)
                        cycles.append([*path, start])
                elif nxt not in path and nxt > start:
                    stack.append((nxt, [*path, nxt]))
    return cycles


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports that point from a lower layer to a higher one."""
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if rank_of(module) < rank_of(target):
                found.append(f"{module} ({_layer(module)} layer) imports {target} ({_layer(target)} layer)")
    return found


def rank_of(module: str) -> int:
    """The layer rank of a module (unknown modules directly under lib/ sit with the concerns)."""
    for prefix, rank in sorted(RANKS.items(), key=lambda kv: -len(kv[0])):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return 2


def page_offences(path: Path) -> list[str]:
    """SQL text or database calls in a page file, each with its line."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0]
        for pattern in (SQL, DB_CALLS):
            match = pattern.search(code)
            if match:
                found.append(f"{path.name} line {number}: {match.group(0)!r} ({line.strip()})")
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _modules(root: Path) -> set[str]:
    names = set()
    for path in (root / "lib").rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.add(".".join(parts))
    return names


def _raw_imports(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted((root / "lib").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        targets = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets += [f"{node.module}.{a.name}" for a in node.names]
        found[".".join(parts)] = targets
    return found


def _resolve(target: str, modules: set[str]) -> str | None:
    # `from lib.intake import skills` names a module; `from lib.errors import X` names a thing in one.
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target if target and target != "lib" else None
