"""The package layout shows the pipeline: stage folders, no import circles, one facade."""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RAG = PROJECT / "rag"
STAGES = {"ingest", "retrieval", "answer", "checks", "review", "evaluation"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported at module level, including those under ``if TYPE_CHECKING:``
    (a type-only import is still a dependency); imports inside functions are left out."""
    found: set[str] = set()
    body = ast.parse(path.read_text()).body
    nodes = [*body, *(n for stmt in body if isinstance(stmt, ast.If) for n in stmt.body)]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("rag.")}


def test_every_stage_has_its_folder_and_the_top_level_stays_small() -> None:
    folders = {p.name for p in RAG.iterdir() if (p / "__init__.py").exists()}
    assert folders >= STAGES
    top_modules = {p.stem for p in RAG.glob("*.py")} - {"__init__"}
    assert len(top_modules) <= 9, top_modules


def test_rag_has_no_import_circles() -> None:
    modules = {_module_name(p): p for p in RAG.rglob("*.py")}
    graph = {
        name: {m for m in _top_level_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                raise AssertionError(" → ".join([*trail, name, dep]))
            if dep not in state:
                visit(dep, [*trail, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def reaches_into_the_index(source: str) -> list[str]:
    """Expressions in ``source`` that go through an object's ``index`` to what lies behind it
    (``assistant.index.snapshot()``, ``helper.index.catalog``, ``self.index.embedder``)."""
    return [
        ast.unparse(node)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "index"
    ]


def test_callers_outside_the_index_use_the_assistant_facade() -> None:
    assert reaches_into_the_index("corpus = assistant.index.snapshot()")
    assert reaches_into_the_index("n = self.helper.index.catalog.chunk_count()")
    assert not reaches_into_the_index("at = names.index(last)\nn = assistant.snapshot()")
    inside = [RAG / "ingest", RAG / "retrieval", RAG / "assistant.py"]
    reaching = {
        str(path.relative_to(PROJECT)): found
        for folder in (RAG, PROJECT / "app", PROJECT / "scripts")
        for path in folder.rglob("*.py")
        if not any(path == part or path.is_relative_to(part) for part in inside)
        and (found := reaches_into_the_index(path.read_text(encoding="utf-8")))
    }
    assert reaching == {}


def test_shared_types_are_imported_from_rag_types() -> None:
    """``Verification``, ``Flag``, the verdicts and every other name ``rag.types`` defines are
    imported from there, not through a module that happens to import them too."""
    tree = ast.parse((RAG / "types.py").read_text(encoding="utf-8"))
    shared = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    shared |= {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    assert {"Verification", "Flag", "Claim", "SUPPORTED", "Hit"} <= shared
    detours = {}
    for folder in (RAG, PROJECT / "app", PROJECT / "scripts"):
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module not in (None, "rag.types")
                    and (node.module or "").startswith("rag.")
                    and (names := shared & {alias.name for alias in node.names})
                ):
                    detours[f"{path.relative_to(PROJECT)}: {node.module}"] = sorted(names)
    assert detours == {}
