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


def test_callers_outside_the_index_use_the_assistant_facade() -> None:
    callers = [*PROJECT.joinpath("app").rglob("*.py"), RAG / "cli.py"]
    callers += [*RAG.joinpath("evaluation").rglob("*.py"), *RAG.joinpath("review").rglob("*.py")]
    reaching = [str(p.relative_to(PROJECT)) for p in callers if ".index.catalog" in p.read_text()]
    assert reaching == []
