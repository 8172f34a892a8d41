"""The house rules, checked by reading the code with `ast` (nothing here imports the project).

1. No import cycles among the project's modules (module-level imports: the ones that run when a
   module is first imported; imports under `if TYPE_CHECKING:` never run and do not count).
2. Layering: handlers never import bot; models never import handlers or bot; classifier imports
   none of bot, handlers, models; outside bot/local nothing imports bot.local unless the import
   carries a comment saying why (production never loads the local stand-ins).
3. No project import inside a function unless a `# ` comment on the line before or on the import
   itself says why (a lazy import usually hides a cycle; when it is right, say so).
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "models", "classifier")
# A comment made only of tool pragmas does not say why.
PRAGMA = re.compile(r"(noqa\b(:\s*[A-Z]+\d*(\s*,\s*[A-Z]+\d*)*)?|type:\s*ignore(\[[^\]]*\])?|pragma:?\s*[\w-]+)", re.I)


@dataclass(frozen=True)
class Import:
    """One import of a project module: who imports what, where, and when it runs."""

    source: str  # the importing module, dotted
    target: str  # the imported project module, dotted (the most specific module that exists)
    file: str  # relative to the root, for messages
    line: int
    end_line: int
    in_function: bool
    type_checking: bool

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class Codebase:
    """The project's modules under root, their imports and their comments, read from source."""

    def __init__(self, root: Path, packages: tuple[str, ...]):
        self.root, self.packages = root, packages

    @cached_property
    def files(self) -> dict[str, Path]:
        files = {}
        for package in self.packages:
            for path in sorted((self.root / package).rglob("*.py")):
                parts = list(path.relative_to(self.root).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                files[".".join(parts)] = path
        return files

    def resolve(self, name: str) -> str | None:
        """The most specific project module that `import name` loads (None outside the project)."""
        if name.split(".")[0] not in self.packages:
            return None
        while name and name not in self.files:
            name = name.rpartition(".")[0]
        return name or None

    def imports_of(self, module: str) -> list[Import]:
        path = self.files[module]
        is_package = path.name == "__init__.py"
        file = str(path.relative_to(self.root))
        found: list[Import] = []
        seen: set[tuple[str, int]] = set()

        def add(target: str | None, node: ast.stmt, in_function: bool, type_checking: bool) -> None:
            if target and target != module and (target, node.lineno) not in seen:
                seen.add((target, node.lineno))
                found.append(Import(module, target, file, node.lineno, node.end_lineno or node.lineno,
                                    in_function, type_checking))

        def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(self.resolve(alias.name), node, in_function, type_checking)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base_parts = module.split(".") if is_package else module.split(".")[:-1]
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                    base = ".".join(base_parts + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                for alias in node.names:
                    # `from pkg import sub` loads the submodule pkg.sub when there is one.
                    sub = f"{base}.{alias.name}"
                    add(sub if sub in self.files else self.resolve(base), node, in_function, type_checking)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for child in ast.iter_child_nodes(node):
                    visit(child, True, type_checking)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                for child in node.body:
                    visit(child, in_function, True)
                for child in node.orelse:
                    visit(child, in_function, type_checking)
            else:
                for child in ast.iter_child_nodes(node):
                    visit(child, in_function, type_checking)

        visit(ast.parse(path.read_text(encoding="utf-8"), file), False, False)
        return found

    @cached_property
    def imports(self) -> list[Import]:
        return [imp for module in self.files for imp in self.imports_of(module)]

    def comments(self, file: str) -> dict[int, tuple[str, bool]]:
        """line → (the comment's text, whether the comment is the whole line)."""
        if file not in self._comments:
            found: dict[int, tuple[str, bool]] = {}
            source = (self.root / file).read_text(encoding="utf-8")
            for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                if tok.type == tokenize.COMMENT:
                    found[tok.start[0]] = (tok.string.lstrip("#").strip(), tok.line[: tok.start[1]].strip() == "")
            self._comments[file] = found
        return self._comments[file]

    @cached_property
    def _comments(self) -> dict[str, dict[int, tuple[str, bool]]]:
        return {}

    def says_why(self, imp: Import) -> bool:
        """A real comment (more than a linter pragma) on the import's lines or as the whole line before it."""
        comments = self.comments(imp.file)
        texts = [comments[n][0] for n in range(imp.line, imp.end_line + 1) if n in comments]
        before = comments.get(imp.line - 1)
        if before and before[1]:
            texts.append(before[0])
        return any(len(re.findall(r"\w+", PRAGMA.sub("", text))) >= 2 for text in texts)

    def module_graph(self) -> tuple[dict[str, set[str]], dict[tuple[str, str], Import]]:
        """Edges of the imports that run when a module loads, and the first such import per edge."""
        edges: dict[str, set[str]] = {}
        first: dict[tuple[str, str], Import] = {}
        for imp in self.imports:
            if imp.in_function or imp.type_checking:
                continue
            edges.setdefault(imp.source, set()).add(imp.target)
            first.setdefault((imp.source, imp.target), imp)
        return edges, first


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One shortest loop per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)

    cycles = []
    for component in components:
        members, start = set(component), component[0]
        paths, queue, cycle = {start: [start]}, deque([start]), None
        while queue and cycle is None:  # breadth first: the shortest way from start back to start
            v = queue.popleft()
            for w in sorted(edges.get(v, ())):
                if w == start:
                    cycle = paths[v] + [start]
                    break
                if w in members and w not in paths:
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        cycles.append(cycle or component)
    return cycles


CODE = Codebase(ROOT, PACKAGES)


# --- 1. cycles ----------------------------------------------------------------------------------

def test_no_import_cycles():
    edges, first = CODE.module_graph()
    cycles = find_cycles(edges)
    described = [
        " → ".join(cycle) + "\n" + "\n".join(f"    {first[(a, b)].where}: imports {b}" for a, b in zip(cycle, cycle[1:]))
        for cycle in cycles
    ]
    assert not cycles, (
        "import cycles among the project's modules (break each with a small shared module, not an "
        "import inside a function):\n" + "\n".join(described))


# --- 2. layering --------------------------------------------------------------------------------

FORBIDDEN = {
    "handlers": ("bot",),
    "models": ("bot", "handlers"),
    "classifier": ("bot", "handlers", "models"),
}


def layering_violations(code: Codebase) -> list[str]:
    broken = []
    for imp in code.imports:
        layer = imp.source.split(".")[0]
        for banned in FORBIDDEN.get(layer, ()):
            if in_package(imp.target, banned):
                broken.append(f"  {imp.where}: {imp.source} imports {imp.target} ({layer}/ never imports {banned}/)")
    return broken


def test_layers_import_only_downwards():
    broken = layering_violations(CODE)
    assert not broken, "layering broken:\n" + "\n".join(broken)


def local_violations(code: Codebase) -> list[str]:
    return [f"  {imp.where}: {imp.source} imports {imp.target}" for imp in code.imports
            if in_package(imp.target, "bot.local") and not in_package(imp.source, "bot.local")
            and not code.says_why(imp)]


def test_only_the_local_stand_ins_import_bot_local():
    broken = local_violations(CODE)
    assert not broken, (
        "production code imports the local stand-ins (bot/local) with no comment saying why:\n" + "\n".join(broken))


# --- 3. imports inside functions ----------------------------------------------------------------

# Folders reported apart, so a failure names the room to fix; None = everything not named.
FOLDERS = {
    "bot/console": ("bot.console",),
    "handlers": ("handlers",),
    "models": ("models",),
    "the rest of bot/ and classifier/": None,
}


def function_import_violations(code: Codebase, packages: tuple[str, ...] | None) -> list[str]:
    named = tuple(p for ps in FOLDERS.values() if ps for p in ps)

    def chosen(module: str) -> bool:
        if packages is None:
            return not any(in_package(module, p) for p in named)
        return any(in_package(module, p) for p in packages)

    return [f"  {imp.where}: {imp.target}" for imp in code.imports
            if imp.in_function and chosen(imp.source) and not code.says_why(imp)]


@pytest.mark.parametrize("folder", list(FOLDERS))
def test_no_unexplained_project_import_inside_a_function(folder):
    found = function_import_violations(CODE, FOLDERS[folder])
    assert not found, (
        f"project imports inside functions in {folder} with no comment saying why (move each to the top; "
        "where a lazy import is right, say why in a `# ` comment on the line before or on the import):\n"
        + "\n".join(found))


# --- the checker checks itself --------------------------------------------------------------------

def test_the_cycle_finder_reports_the_loop():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_on_a_small_house(tmp_path):
    write(tmp_path, {
        "bot/__init__.py": "",
        "bot/local/__init__.py": "",
        "bot/local/demo.py": "",
        "bot/app.py": (
            "from typing import TYPE_CHECKING\n"
            "from . import web\n"                     # a cycle: app ↔ web
            "if TYPE_CHECKING:\n"
            "    from bot.worker import Worker\n"     # never runs: no cycle with worker
            "def a():\n"
            "    from bot.local import demo\n"        # bot.local, no reason: two violations
            "def b():\n"
            "    from bot.web import thing  # noqa: PLC0415\n"  # a pragma is not a reason
            "def c():\n"
            "    # web imports us at load time\n"
            "    from bot import web\n"
            "def d():\n"
            "    import bot.web  # loaded only by the CLI\n"
            "def e():\n"
            "    import json\n"),
        "bot/web.py": "import bot.app\nthing = 1\n",
        "bot/worker.py": "from bot.app import a\n",
        "handlers/__init__.py": "",
        "handlers/loop.py": "from bot import app\nfrom ..models import Ticket\n",
        "models/__init__.py": "Ticket = object\nfrom handlers import loop  # models never import handlers\n",
    })
    code = Codebase(tmp_path, ("bot", "handlers", "models"))
    edges, first = code.module_graph()
    assert find_cycles(edges) == [["bot.app", "bot.web", "bot.app"], ["handlers.loop", "models", "handlers.loop"]]
    assert first[("bot.app", "bot.web")].where == "bot/app.py:2"
    assert "bot.worker" not in edges.get("bot.app", set())
    assert layering_violations(code) == [
        "  handlers/loop.py:1: handlers.loop imports bot.app (handlers/ never imports bot/)",
        "  models/__init__.py:2: models imports handlers.loop (models/ never imports handlers/)",
    ]
    assert local_violations(code) == ["  bot/app.py:6: bot.app imports bot.local.demo"]
    assert function_import_violations(code, None) == ["  bot/app.py:6: bot.local.demo", "  bot/app.py:8: bot.web"]
