"""The package layout shows the pipeline: stage folders, no import circles, one facade."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
RAG = PROJECT / "rag"
STAGES = {"ingest", "retrieval", "answer", "checks", "review", "evaluation"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = PROJECT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


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
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            found.update(names)
            # ``from rag.ingest import pdf_layout`` depends on that module, not on the names
            # the stage package re-exports (which it imports lazily, on first use).
            if not all(_is_module(name) for name in names):
                found.add(node.module)
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


def _type_checking_exports(path: Path) -> dict[str, str]:
    """``name -> module`` for the ``if TYPE_CHECKING:`` imports of a stage's ``__init__``."""
    found: dict[str, str] = {}
    for stmt in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(stmt, ast.If) and ast.unparse(stmt.test) == "TYPE_CHECKING":
            for node in stmt.body:
                assert isinstance(node, ast.ImportFrom) and node.module, ast.unparse(node)
                for alias in node.names:
                    assert alias.asname == alias.name, ast.unparse(node)  # an explicit re-export
                    found[alias.name] = node.module.rsplit(".", 1)[1]
    return found


def test_stage_folders_export_their_public_names_lazily() -> None:
    """Each stage's ``__init__`` names its public names (STYLE.md #14): for type checkers under
    ``TYPE_CHECKING``, at run time through a PEP 562 ``__getattr__`` that imports the module
    on first use. Every name resolves to the module's own object, and none hides a module."""
    import importlib

    for stage in sorted(STAGES):
        package = importlib.import_module(f"rag.{stage}")
        exports = package._EXPORTS
        assert exports, stage
        assert _type_checking_exports(RAG / stage / "__init__.py") == exports, stage
        assert package.__all__ == sorted(exports)
        submodules = {p.stem for p in (RAG / stage).glob("*.py")}
        assert not set(exports) & submodules, stage
        for name, module in exports.items():
            assert module in submodules, (stage, name)
            own = getattr(importlib.import_module(f"rag.{stage}.{module}"), name)
            assert getattr(package, name) is own, (stage, name)
        with pytest.raises(AttributeError):
            _ = package.no_such_name


def test_importing_the_stage_folders_loads_no_model_or_vector_store() -> None:
    """The re-exports are lazy: importing every stage package (as the CLI does on start)
    brings in none of torch, Chroma, the sentence-transformers or llama.cpp."""
    heavy = ["torch", "chromadb", "sentence_transformers", "transformers", "llama_cpp"]
    code = (
        "import sys\n"
        + "".join(f"import rag.{stage}\n" for stage in sorted(STAGES))
        + f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert out.stdout.strip() == "[]"
