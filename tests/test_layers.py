"""The layering rule of DESIGN.md, checked on the source (AST), so a wrong arrow fails CI.

    views    -> app, widgets
    app      -> services, config
    services -> config
    config   -> (none of ours)
    widgets  -> (Qt only, none of ours)

and services/ and config/ never import Qt (PySide6, shiboken6, qasync, pyqtgraph).
Every import counts, including ones under ``if TYPE_CHECKING:`` or inside functions, and
``importlib.import_module("...")`` / ``__import__("...")`` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Which of our top-level packages each layer may import (itself always allowed).
ALLOWED: dict[str, frozenset[str]] = {
    "views": frozenset({"app", "widgets"}),
    "app": frozenset({"services", "config"}),
    "services": frozenset({"config"}),
    "config": frozenset(),
    "widgets": frozenset(),
}
OURS = frozenset(ALLOWED) | {"main", "tests", "bench", "resources"}
QT_FREE = frozenset({"services", "config"})
QT_PACKAGES = frozenset({"PySide6", "shiboken6", "qasync", "pyqtgraph"})


def module_name(path: Path, root: Path = ROOT) -> tuple[str, bool]:
    """'services/backend/hub.py' -> ('services.backend.hub', False); '__init__.py' -> (package, True)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str | None:
    """Absolute name of ``from <level dots><name> import ...`` inside ``module``; None if it escapes."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(package) - 1:
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute dotted name) for every import in the tree; '<escapes>' for a bad relative one."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.append((node.lineno, node.module or ""))
                continue
            target = _resolve_relative(module, is_package, node.level, node.module)
            if target is None:
                found.append((node.lineno, "<relative import beyond the top-level package>"))
            elif node.module is None:
                # `from . import x`: x may be a submodule; the package itself decides the layer anyway.
                found.extend(
                    (node.lineno, f"{target}.{alias.name}" if target else alias.name) for alias in node.names
                )
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            is_dynamic = (isinstance(func, ast.Name) and func.id == "__import__") or (
                isinstance(func, ast.Attribute)
                and func.attr == "import_module"
                and isinstance(func.value, ast.Name)
                and func.value.id == "importlib"
            )
            first = node.args[0]
            if is_dynamic and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if first.value.startswith("."):
                    continue  # relative to a runtime package argument: not resolvable here
                found.append((node.lineno, first.value))
    return found


def check_source(source: str, module: str, is_package: bool = False, filename: str = "<source>") -> list[str]:
    """Violations of the layering rule in one module's source text, as readable lines."""
    layer = module.split(".")[0]
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        return [f"{filename}:{exc.lineno}: cannot parse: {exc.msg}"]
    violations = []
    for line, name in imported_modules(tree, module, is_package):
        top = name.split(".")[0]
        where = f"{filename}:{line}: {layer} imports {name}"
        if name.startswith("<"):
            violations.append(f"{filename}:{line}: {name}")
        elif layer in QT_FREE and top in QT_PACKAGES:
            violations.append(f"{where} (services/ and config/ must stay Qt-free)")
        elif top in OURS and top != layer and top not in ALLOWED[layer]:
            allowed = ", ".join(sorted(ALLOWED[layer])) or "none of ours"
            violations.append(f"{where} (allowed: {allowed})")
    return violations


def collect_violations(root: Path = ROOT) -> tuple[int, list[str]]:
    """(files checked, violations) over every .py file of the layered packages that exist."""
    checked, violations = 0, []
    for layer in ALLOWED:
        base = root / layer
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            module, is_package = module_name(path, root)
            rel = str(path.relative_to(root))
            violations += check_source(path.read_text(encoding="utf-8"), module, is_package, rel)
            checked += 1
    return checked, violations


def test_imports_follow_the_layers() -> None:
    checked, violations = collect_violations()
    assert not violations, (
        f"{len(violations)} import(s) in {checked} files cross the layers (DESIGN.md, 'Allowed imports'):\n  "
        + "\n  ".join(violations)
    )


# --- the checker itself must be able to fail ---------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "is_package", "source", "expected"),
    [
        ("services.backend.hub", False, "from app.session import X\n", "services imports app.session"),
        ("services.backend.hub", False, "import PySide6\n", "services imports PySide6"),
        ("services.video.capture", False, "from PySide6.QtGui import QImage\n", "Qt-free"),
        ("config.schema", False, "import qasync\n", "config imports qasync"),
        ("config.schema", False, "from services import protocol\n", "config imports services"),
        ("services.client", False, "from pyqtgraph import PlotWidget\n", "services imports pyqtgraph"),
        ("widgets.tile", False, "from app.theme import colors\n", "widgets imports app.theme"),
        ("widgets.tile", False, "import services.protocol\n", "widgets imports services.protocol"),
        ("app.session", False, "from views.wall import Wall\n", "app imports views.wall"),
        ("app.session", False, "from widgets.tile import Tile\n", "app imports widgets.tile"),
        ("views.wall", False, "from services.protocol import Envelope\n", "views imports services.protocol"),
        ("views.wall", False, "def f():\n    import config.schema\n", "views imports config.schema"),
        # relative imports resolve against the module's package: they stay inside it, or escape it
        ("services.domain.cases", False, "from ...app import session\n", "<relative import beyond"),
        ("services", True, "from .. import app\n", "<relative import beyond"),
        ("services.domain.cases", False, "from ..client import Client\n", None),
        ("widgets.tile", False, "from . import gauge\n", None),
        ("views.panels.console", False, "from ..app.session import S\n", None),  # views.app.session
        ("services.domain", True, "from .. import config\n", None),  # services.config
        (
            "app.models",
            False,
            "import importlib\nimportlib.import_module('views.wall')\n",
            "app imports views.wall",
        ),
        # allowed arrows and third-party imports are not reported
        ("views.wall", False, "from app.session import S\nfrom widgets import T\nimport PySide6\n", None),
        ("app.session", False, "import qasync\nfrom services.client import C\nfrom config import x\n", None),
        ("services.backend.store", False, "import sqlalchemy\nfrom config.schema import Settings\n", None),
        ("widgets.tile", False, "from PySide6.QtWidgets import QWidget\nimport pyqtgraph\n", None),
    ],
)
def test_checker_reports_bad_arrows(module: str, is_package: bool, source: str, expected: str | None) -> None:
    violations = check_source(source, module, is_package)
    if expected is None:
        assert violations == []
    else:
        assert any(expected in v for v in violations), violations


@pytest.mark.parametrize(
    ("module", "is_package", "source", "expected"),
    [
        ("services.domain.cases", False, "from ..client import Client", "services.client"),
        ("services.domain.cases", False, "from . import deadlines", "services.domain.deadlines"),
        ("services.domain", True, "from . import cases", "services.domain.cases"),
        ("services.domain", True, "from .. import config", "services.config"),
        ("views.a.b.console", False, "from ...c import x", "views.c"),
        ("app", True, "from .session import S", "app.session"),
        ("app", True, "from .. import views", "<relative import beyond the top-level package>"),
    ],
)
def test_relative_imports_resolve(module: str, is_package: bool, source: str, expected: str) -> None:
    assert [name for _, name in imported_modules(ast.parse(source), module, is_package)] == [expected]


def test_checker_reports_services_importing_app_and_qt(tmp_path: Path) -> None:
    """The whole walk, on a fake tree: a services module with two bad imports, a clean config."""
    (tmp_path / "services" / "backend").mkdir(parents=True)
    (tmp_path / "services" / "__init__.py").write_text("")
    (tmp_path / "services" / "backend" / "__init__.py").write_text("from . import hub\n")
    (tmp_path / "services" / "backend" / "hub.py").write_text(
        "import asyncio\nfrom app.session import X\nimport PySide6\nfrom ..protocol import Envelope\n"
    )
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "schema.py").write_text("import tomllib\n")
    checked, violations = collect_violations(tmp_path)
    assert checked == 4
    assert violations == [
        "services/backend/hub.py:2: services imports app.session (allowed: config)",
        "services/backend/hub.py:3: services imports PySide6 (services/ and config/ must stay Qt-free)",
    ]
