"""Output and display: to_string, to_markdown, to_html, to_json, to_records, info, memory_usage, values, plot.

Thin: rendering is pandas' on the live rows (io/render.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes.io import formats
from jaxframes.io import render as rd
from jaxframes.io.arrow import from_arrow as arrow_to_frame


class _OutputMethods:
    """What DataFrame and Series share."""

    __slots__ = ()

    def to_string(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' text rendering of the live rows (all of them, unlike repr)."""
        return rd.render(self, "to_string", *args, **kwargs)

    def to_markdown(self, *args: Any, **kwargs: Any) -> Any:
        """A Markdown table (needs tabulate, as pandas does)."""
        return rd.render(self, "to_markdown", *args, **kwargs)

    def to_json(self, *args: Any, **kwargs: Any) -> Any:
        """JSON text (or a file) as pandas writes it; ``jf.read_json`` reads it back."""
        return rd.render(self, "to_json", *args, **kwargs)

    def to_latex(self, *args: Any, **kwargs: Any) -> Any:
        """A LaTeX tabular (needs jinja2, as pandas does)."""
        return rd.render(self, "to_latex", *args, **kwargs)

    def to_pickle(self, path: Any, **kwargs: Any) -> None:
        """Pickled as the pandas object (pandas can read it); ``jf.read_pickle`` gives ours back."""
        rd.to_pickle(self, path, **kwargs)

    def to_excel(self, *args: Any, **kwargs: Any) -> None:
        """An Excel sheet, as pandas writes it (an ExcelWriter works as the target)."""
        formats.write(self, "to_excel", *args, **kwargs)

    def to_hdf(self, *args: Any, **kwargs: Any) -> None:
        """An HDF5 store entry, as pandas writes it (PyTables)."""
        formats.write(self, "to_hdf", *args, **kwargs)

    def to_sql(self, *args: Any, **kwargs: Any) -> Any:
        """Rows into a SQL table, as pandas writes them (sqlite3 or SQLAlchemy)."""
        return formats.write(self, "to_sql", *args, **kwargs)

    def to_clipboard(self, *args: Any, **kwargs: Any) -> None:
        """The rows on the system clipboard, as pandas puts them there."""
        formats.write(self, "to_clipboard", *args, **kwargs)

    def to_xarray(self) -> Any:
        """An xarray object (needs xarray: refused with NotImplementedError when it is absent)."""
        return rd.to_xarray(self)

    def memory_usage(self, index: bool = True, deep: bool = False) -> Any:
        """Bytes per column as pandas counts them for the same data."""
        return rd.memory_usage(self, index, deep)

    @property
    def plot(self) -> Any:
        """pandas' plotting accessor over the live rows (matplotlib): ``df.plot.line()``, ``df.plot(...)``."""
        return self.to_pandas().plot

    def hist(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' histograms of the live rows."""
        return rd.render(self, "hist", *args, **kwargs)

    @property
    def attrs(self) -> dict:
        """Free-form metadata of this object (not carried through operations)."""
        return self.__dict__.setdefault("_attrs", {})

    @attrs.setter
    def attrs(self, value: Any) -> None:
        object.__setattr__(self, "_attrs", dict(value))

    @property
    def flags(self) -> pd.Flags:
        """allows_duplicate_labels is always True."""
        return rd.flags(self)

    def set_flags(self, *, copy: Any = False, allows_duplicate_labels: Any = None) -> Any:
        """The same object (allows_duplicate_labels=False is not supported)."""
        return rd.set_flags(self, copy, allows_duplicate_labels)


class FrameOutputMethods(_OutputMethods):
    """DataFrame methods: Output and display: to_string, to_markdown, to_html, to_json, to_records, info, memory_usage, values, plot."""

    __slots__ = ()

    def to_html(self, *args: Any, **kwargs: Any) -> Any:
        """An HTML table as pandas renders it."""
        return rd.render(self, "to_html", *args, **kwargs)

    def to_records(self, index: bool = True, column_dtypes: Any = None, index_dtypes: Any = None) -> np.recarray:
        """A numpy record array of the live rows."""
        return rd.records(self, index, column_dtypes, index_dtypes)

    def to_feather(self, path: Any, **kwargs: Any) -> None:
        """Feather (Arrow IPC) file, as pandas writes it."""
        rd.render(self, "to_feather", path, **kwargs)

    def to_orc(self, path: Any = None, **kwargs: Any) -> Any:
        """ORC file (path None: the bytes), as pandas writes it."""
        return rd.render(self, "to_orc", path, **kwargs)

    def to_stata(self, *args: Any, **kwargs: Any) -> None:
        """A Stata .dta file, as pandas writes it."""
        formats.write(self, "to_stata", *args, **kwargs)

    def to_xml(self, *args: Any, **kwargs: Any) -> Any:
        """An XML document (path None: the text), as pandas writes it."""
        return formats.write(self, "to_xml", *args, **kwargs)

    def to_iceberg(self, *args: Any, **kwargs: Any) -> None:
        """An Iceberg table, as pandas writes it (pyiceberg)."""
        formats.write(self, "to_iceberg", *args, **kwargs)

    def info(self, verbose: Any = None, buf: Any = None, max_cols: Any = None, memory_usage: Any = None,
             show_counts: Any = None) -> None:
        """pandas' summary (dtypes, non-null counts, memory) of the live rows."""
        rd.info(self, verbose, buf, max_cols, memory_usage, show_counts)

    @property
    def values(self) -> np.ndarray:
        """The live rows as one numpy array (``to_numpy()``)."""
        return self.to_numpy()

    def boxplot(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' box plot of the live rows."""
        return rd.render(self, "boxplot", *args, **kwargs)

    @classmethod
    def from_dict(cls, data: dict, orient: str = "columns", dtype: Any = None, columns: Any = None) -> Any:
        """A frame from a dict of columns (orient='columns') or of rows (orient='index'/'tight')."""
        return cls(pd.DataFrame.from_dict(data, orient=orient, dtype=dtype, columns=columns))

    @classmethod
    def from_records(cls, data: Any, index: Any = None, exclude: Any = None, columns: Any = None,
                     coerce_float: bool = False, nrows: Any = None) -> Any:
        """A frame from records (tuples, dicts, a numpy record array)."""
        return cls(pd.DataFrame.from_records(data, index=index, exclude=exclude, columns=columns,
                                             coerce_float=coerce_float, nrows=nrows))

    @classmethod
    def from_arrow(cls, data: Any) -> Any:
        """A frame from an Arrow table or any object with the Arrow C stream interface."""
        table = data if isinstance(data, pa.Table) else pa.table(data)
        return arrow_to_frame(table)


class SeriesOutputMethods(_OutputMethods):
    """Series methods: Output and display: to_string, to_markdown, to_html, to_json, to_records, info, memory_usage, values, plot."""

    __slots__ = ()

    def to_csv(self, *args: Any, **kwargs: Any) -> Any:
        """CSV as pandas writes a Series (path None: the text)."""
        return rd.render(self, "to_csv", *args, **kwargs)

    def info(self, verbose: Any = None, buf: Any = None, max_cols: Any = None, memory_usage: Any = None,
             show_counts: Any = True) -> None:
        """pandas' summary of the live rows."""
        rd.info(self, verbose, buf, max_cols, memory_usage, show_counts)

    @property
    def nbytes(self) -> int:
        """Bytes of the values as pandas holds the same data."""
        return self.to_pandas().nbytes

    @classmethod
    def from_arrow(cls, data: Any) -> Any:
        """A Series from an Arrow array (or an object with the Arrow C array/stream interface)."""
        return cls(pd.Series.from_arrow(data))
