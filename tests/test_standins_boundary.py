"""The product never imports the stand-ins, except bot/cli.py (demo, sandbox) and the embedded branch."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("bot", "handlers", "blocks", "storage")
# bot/rainbow_access.py starts the sandbox only inside open_rainbow when RAINBOW_HOST=embedded.
ALLOWED = {Path("bot/cli.py"), Path("bot/rainbow_access.py")}


def _imports_standins(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "standins" for alias in node.names)
    return isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "standins"


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """Imports under `if TYPE_CHECKING:` never run: they are annotations, not a dependency at run time."""
    guarded: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            guarded.update(child for statement in node.body for child in ast.walk(statement))
    return guarded


def test_no_product_module_imports_standins() -> None:
    offenders = []
    for folder in PRODUCT:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            tree = ast.parse(path.read_text(), str(relative))
            guarded = _type_checking_only(tree)
            for node in ast.walk(tree):
                if _imports_standins(node) and node not in guarded:
                    offenders.append(f"{relative}:{getattr(node, 'lineno', '?')}")
    outside = [o for o in offenders if Path(o.split(":")[0]) not in ALLOWED]
    assert outside == [], outside
    top_level = [o for o in offenders if Path(o.split(":")[0]) in ALLOWED]
    for location in top_level:
        path, line = location.split(":")
        tree = ast.parse((ROOT / path).read_text())
        assert all(not (_imports_standins(node) and node.lineno == int(line)) for node in tree.body), (
            f"{location} imports standins at module level"
        )
