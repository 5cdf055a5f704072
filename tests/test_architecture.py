"""The floor plan: packages by stage, imports one way, Flask only in the web layer.

What README.md ("Layout") and docs/architecture.md describe, checked on the code itself:
every import of the project's own modules (at any depth of a module, not only its top) goes
to the same stage or a lower one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = ("indexer", "search_app")
MAX_MODULES = 12  # per package folder, its __init__.py aside

# The stages, lowest first: a module may import from its own stage and the stages before it.
STAGES = (
    "indexer",  # the package's docstring
    "indexer.records",  # the records that cross the indexer's stages
    "indexer.text",  # the Vietnamese text layer, used by both sides
    "indexer.metadata",
    "indexer.inputs",
    "indexer.pages",
    "indexer.arrays",  # derived from a commit, read by the engine
    "indexer.build",
    "indexer.__main__",
    "search_app.results",  # the records the engine answers with
    "search_app.query",
    "search_app.engine",
    "search_app.web",
    "search_app",  # the app factory, which starts the web layer
)
WEB_ONLY = ("flask", "werkzeug", "jinja2")


def modules() -> dict[str, Path]:
    """Every module of the project by dotted name."""
    found = {}
    for top in TOP:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def stage(name: str) -> int:
    """The rank of the stage a module belongs to (its longest matching prefix)."""
    matching = [s for s in STAGES if name == s or (s not in TOP and name.startswith(s + "."))]
    assert matching, f"{name} belongs to no stage: add it to STAGES and docs/architecture.md"
    return STAGES.index(max(matching, key=len))


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(path: Path) -> list[str]:
    """The modules a file imports, anywhere in it, except for type checkers only."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if _type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


MODULES = modules()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_to_the_same_stage_or_a_lower_one(name):
    own = stage(name)
    for target in imports(MODULES[name]):
        if target.split(".")[0] in TOP and target in MODULES:
            assert stage(target) <= own, f"{name} ({STAGES[own]}) imports {target}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_flask_is_imported_by_the_web_layer_only(name):
    if stage(name) == STAGES.index("search_app.web"):
        return
    used = {target.split(".")[0] for target in imports(MODULES[name])}
    assert not used & set(WEB_ONLY), name


def test_the_engine_runs_without_flask():
    engine = [n for n in MODULES if stage(n) < STAGES.index("search_app.web")]
    script = (
        "import importlib, sys\n"
        f"for name in {engine!r}:\n"
        "    if not name.endswith('__main__'):\n"
        "        importlib.import_module(name)\n"
        f"loaded = sorted(set(m.split('.')[0] for m in sys.modules) & {set(WEB_ONLY)!r})\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.parametrize(
    "folder", sorted({p.parent for p in MODULES.values()}), ids=lambda p: p.name
)
def test_a_package_is_small_and_says_what_it_does(folder):
    count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
    assert count <= MAX_MODULES, f"{folder} holds {count} modules"
    docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text("utf-8")))
    assert docstring and len(docstring) > 80, f"{folder}/__init__.py says too little"


def test_every_stage_is_a_package_or_module():
    for name in STAGES:
        assert name in MODULES, name


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_the_docs_name_every_package_folder(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    for folder in sorted({p.parent for p in MODULES.values()}):
        assert f"{folder.relative_to(ROOT).as_posix()}/" in text, (doc, folder)
