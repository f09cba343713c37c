"""The extraction wing stays readable: no function needs more than a screen (issue 8)."""

from __future__ import annotations

import ast
from pathlib import Path

import service.extraction

SCREEN = 50  # lines, signature and docstring included
WING = Path(service.extraction.__file__).parent


def _long_functions() -> list[str]:
    found = []
    for path in sorted(WING.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > SCREEN:
                    found.append(f"{path.relative_to(WING)}:{node.lineno} {node.name} ({size})")
    return found


def test_no_function_in_the_extraction_wing_is_longer_than_a_screen() -> None:
    assert _long_functions() == [], "split these into named steps"
