"""The coverage report (python -m jaxframes.coverage) and the refusal table it reads."""

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes import coverage
from jaxframes.refusals import REFUSED, is_refused


def test_groups_partition_pandas_names():
    for c in coverage.report():
        assert c.total == len(set(c.have) | set(c.refused) | set(c.missing))
        assert not (set(c.have) & set(c.refused)) and not (set(c.have) & set(c.missing))
    frame = coverage.report()[0]
    assert frame.group == "DataFrame" and frame.total == len(coverage.public_names(pd.DataFrame))
    assert "sum" in frame.have and "style" in frame.refused


def test_refused_names_are_pandas_names_and_not_built():
    """Each refused name exists in pandas and still refuses (built names leave the table)."""
    for group, theirs, ours in coverage.GROUPS:
        names = set(coverage.public_names(theirs))
        for name in REFUSED[group]:
            assert name in names, f"{group}.{name} is not a pandas name"
            assert is_refused(coverage._resolve(ours, name)), f"{group}.{name} is built: drop its refusal"


@pytest.mark.parametrize("call", [lambda df: df.sparse, lambda df: df.style, lambda df: df["a"].struct],
                         ids=["sparse", "style", "struct"])
def test_refused_methods_raise_with_reason(call):
    df = jf.DataFrame({"a": [1, 2]})
    with pytest.raises(NotImplementedError, match="is refused: .*(not supported|Styler)"):
        call(df)


def test_refused_top_level_raise():
    with pytest.raises(NotImplementedError, match="jaxframes.SparseDtype is refused: sparse data"):
        jf.SparseDtype("float64")


def test_command_prints_table(capsys):
    """What ``python -m jaxframes.coverage --markdown`` prints (run in-process: a subprocess
    would import JAX again)."""
    assert coverage.main(["--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| DataFrame | 204 |" in out and "| top level |" in out
    assert "refused" in out and "style: the Styler" in out
