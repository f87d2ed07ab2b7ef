"""The histories (losses, slopes, errors) as structured numpy arrays, read from the server's CSV downloads
(numbers there are the shortest text that reads back to the same double, so nothing is lost)."""
from __future__ import annotations

import importlib
from typing import Any, List

import numpy as np

#: Columns holding whole numbers; every other column is a float64 (``nan``, ``inf`` and ``-inf`` included).
INTEGER_COLUMNS = {"iteration", "phase"}


def parse_csv(text: str) -> np.ndarray:
    """A structured array with one field per CSV column, named as in the header (``iteration``, ``phase``,
    ``total``, ``pde``, …). An empty history is an array of length 0 with the header's fields."""
    lines = [line for line in text.splitlines() if line]
    if not lines:
        return np.zeros(0, dtype=[("iteration", np.int64), ("phase", np.int64)])
    names = lines[0].split(",")
    dtype = np.dtype([(name, np.int64 if name in INTEGER_COLUMNS else np.float64) for name in names])
    rows = [tuple(_value(cell, name) for cell, name in zip(line.split(","), names)) for line in lines[1:]]
    return np.array(rows, dtype=dtype)


def _value(cell: str, name: str) -> Any:
    return int(cell) if name in INTEGER_COLUMNS else float(cell)


def as_frame(table: np.ndarray) -> Any:
    """The structured array as a pandas DataFrame (one column per field)."""
    try:
        pandas = importlib.import_module("pandas")
    except ImportError as error:
        raise ImportError("as_frame=True needs pandas: pip install pandas") from error
    return pandas.DataFrame.from_records(table)


def field_names(table: np.ndarray) -> List[str]:
    return list(table.dtype.names or [])
