"""Dependencies run one way, room by room: the build side (tables → mapping → build) and the
serving side (store → endpoint, browsing → commands) share only the base; the web app sits
on the serving side; nothing imports upwards. Read from the source, so an import inside a
function counts as much as one at the top."""

from __future__ import annotations

import ast
import subprocess
import sys

from kg.config import ROOT

# room -> (side, rank): a module may import its own room, the base, and rooms of its side
# with a lower rank; "web" sits on the serving side, "top" may import anything
ROOMS = {
    "base": ("base", 0),
    "tables": ("build", 1),
    "mapping": ("build", 2),
    "build": ("build", 3),
    "store": ("serve", 1),
    "answers": ("serve", 2),
    "commands": ("serve", 3),
    "web": ("serve", 4),
    "views": ("serve", 5),
    "app": ("serve", 6),
    "top": ("top", 9),
}
BASE = {
    "kg",
    "kg.config",
    "kg.namespaces",
    "kg.formats",
    "kg.terms",
    "kg.lexical",
    "kg.rdfio",
    "kg.release",
    "kg.printed",
    "kg.slugs",
    "kg.queries",
    "kg.words",
    "kg.spreadsheet_text",
}
COMMANDS = {"kg.query", "kg.load", "kg.releases", "kg.export_site"}
TOP = {"kg.cli", "kg.serving", "kg.__main__"}


def room(module: str) -> str:
    if module in BASE:
        return "base"
    if module in TOP:
        return "top"
    if module in COMMANDS:
        return "commands"
    first, _, rest = module.partition(".")
    second = rest.split(".")[0]
    if first == "web":
        if module in ("web", "web.asgi"):  # the app, and the ASGI front that serves it
            return "app"
        return "views" if second == "views" else "web"
    return {
        "tables": "tables",
        "mapping": "mapping",
        "build": "build",
        "backends": "store",
        "sparql": "store",
        "endpoint": "answers",
        "explore": "answers",
        "examples": "answers",
        "report": "commands",  # a report is written from the answers, like kg query's
        "round": "build",  # reads and writes the tables, as the build reads them
    }[second]


def allowed(importer: str, imported: str) -> bool:
    here, there = room(importer), room(imported)
    if here == there or there == "base" or here == "top":
        return True
    (side, rank), (other_side, other_rank) = ROOMS[here], ROOMS[there]
    return side == other_side and other_rank < rank


def _modules() -> dict[str, set[str]]:
    """Each first-party module and the first-party modules it imports."""
    found: dict[str, set[str]] = {}
    for package in ("kg", "web"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            imports: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    imports.add(node.module)
                elif isinstance(node, ast.Import):
                    imports.update(alias.name for alias in node.names)
            found[name] = {m for m in imports if m.split(".")[0] in ("kg", "web")}
    return found


def test_every_module_has_a_room():
    for module in _modules():
        assert room(module) in ROOMS, module


def test_imports_only_go_down():
    upward = sorted(
        f"{importer} ({room(importer)}) imports {imported} ({room(imported)})"
        for importer, imports in _modules().items()
        for imported in imports
        if not allowed(importer, imported)
    )
    assert upward == []


def test_the_rule_catches_an_upward_import():
    assert not allowed("kg.tables.read", "kg.mapping.context")  # up, on the build side
    assert not allowed("kg.backends.local", "kg.query")  # the store, up to a command
    assert not allowed("web.conneg", "web.views._shared")  # a web module, up to the views
    assert not allowed("kg.build.pipeline", "kg.explore.search")  # across the sides
    assert not allowed("web.views.dumps", "kg.build.publish")  # the site, into the build
    assert allowed("kg.mapping.plan", "kg.tables.read") and allowed("web.views.dumps", "kg.release")


def test_kg_never_imports_flask():
    modules = [m for m in _modules() if m.startswith("kg") and room(m) != "top"]
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'web', 'werkzeug'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
