"""The README's ```python examples must run as written: each block is executed in order, in one
namespace per README (blocks may build on earlier ones). Zero blocks is fine; a raising block fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def python_blocks(text: str) -> list[str]:
    """The bodies of the fenced ```python blocks, in order."""
    return [m.group(1) for m in _BLOCK.finditer(text)]


def run_blocks(blocks: list[str], source: str = "README.md") -> dict:
    """Execute the blocks in one shared namespace; an exception names the failing block."""
    namespace: dict = {"__name__": "__readme__"}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"<{source} python block {number}>", "exec"), namespace)
        except Exception as err:
            raise AssertionError(f"{source} python block {number} raised {type(err).__name__}: {err}\n"
                                 f"{block}") from err
    return namespace


def test_readme_python_blocks_run():
    run_blocks(python_blocks(README.read_text(encoding="utf-8")))


def test_extractor_finds_only_python_blocks():
    text = ("intro\n```bash\nexit 1\n```\n```python\nx = 1\n```\ntext\n```python\ny = x + 1\n```\n"
            "```\nplain\n```\n")
    assert python_blocks(text) == ["x = 1\n", "y = x + 1\n"]
    assert run_blocks(python_blocks(text))["y"] == 2


def test_no_blocks_pass():
    assert python_blocks("# title\n\nno code here\n") == []
    run_blocks([])


def test_raising_block_fails():
    with pytest.raises(AssertionError, match="block 2 raised KeyError"):
        run_blocks(python_blocks("```python\nd = {}\n```\n```python\nd['missing']\n```\n"))
