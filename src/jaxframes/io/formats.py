"""File formats that pandas reads and writes for us: Excel, HDF5, SQL, Stata, SAS, SPSS, XML,
HTML, Iceberg and the clipboard.

Parsing these formats is host work, and pandas (with its optional engines: openpyxl, PyTables,
lxml, SQLAlchemy or sqlite3, pyreadstat, pyiceberg) already does it well. A reader's frames come
back as ours; a writer renders the live rows through pandas. A missing optional engine raises
pandas' own ImportError, which names the package to install.
"""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd

from jaxframes.ops.host import from_host, hosted, to_host


def hosted_reader(reader: Callable[..., Any]) -> Callable[..., Any]:
    return hosted(reader, __name__, "(the frames it reads are JaxFrames')")


read_excel = hosted_reader(pd.read_excel)
read_hdf = hosted_reader(pd.read_hdf)
read_html = hosted_reader(pd.read_html)
read_sas = hosted_reader(pd.read_sas)
read_spss = hosted_reader(pd.read_spss)
read_sql = hosted_reader(pd.read_sql)
read_sql_query = hosted_reader(pd.read_sql_query)
read_sql_table = hosted_reader(pd.read_sql_table)
read_stata = hosted_reader(pd.read_stata)
read_xml = hosted_reader(pd.read_xml)
read_iceberg = hosted_reader(pd.read_iceberg)
read_clipboard = hosted_reader(pd.read_clipboard)

# Writing to a sheet goes through our frames' to_excel, which hands the live rows to pandas.
ExcelWriter = pd.ExcelWriter


class ExcelFile(pd.ExcelFile):
    """pandas' ExcelFile whose ``parse`` gives our frames."""

    def parse(self, *args: Any, **kwargs: Any) -> Any:
        return from_host(super().parse(*args, **kwargs))


class HDFStore(pd.HDFStore):
    """pandas' HDFStore that stores our frames (their live rows) and reads back ours."""

    def get(self, key: str) -> Any:
        return from_host(super().get(key))

    def select(self, *args: Any, **kwargs: Any) -> Any:
        return from_host(super().select(*args, **kwargs))

    def put(self, key: str, value: Any, *args: Any, **kwargs: Any) -> None:
        super().put(key, to_host(value), *args, **kwargs)

    def append(self, key: str, value: Any, *args: Any, **kwargs: Any) -> None:
        super().append(key, to_host(value), *args, **kwargs)


def write(obj: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """pandas' writer ``method`` (to_excel, to_sql, ...) on the live rows."""
    return getattr(obj.to_pandas(), method)(*args, **kwargs)
