"""A study on the server: one job spec over a grid of variations and seeds, its report, its cells' summary as a
table, and its picture (docs/api.md, "Studies")."""
from __future__ import annotations

import importlib
import json
import math
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Tuple

import numpy as np

from .errors import PINNError
from .job import Job
from .tables import as_frame

if TYPE_CHECKING:
    from .client import Client

#: The x axes of the study's picture.
PICTURE_AXES = ("seconds", "iteration")


class Study:
    """A study by its id. Nothing is cached but the last report read (``document``): every method asks the server,
    so the report of a running study changes as its jobs train."""

    def __init__(self, client: "Client", study_id: str, document: Optional[Mapping[str, Any]] = None) -> None:
        self.client = client
        self.id = study_id
        self.document: Dict[str, Any] = dict(document or {})

    def __repr__(self) -> str:
        status = self.document.get("status", "?")
        return f"Study({self.id!r}, status={status!r})"

    @property
    def _path(self) -> str:
        return f"/v1/studies/{self.id}"

    # MARK: - Status

    def report(self) -> Dict[str, Any]:
        """The report, fresh from the server: the grid (``variations``, ``seeds``), ``counts`` of its jobs by
        status, and per cell its ``runs`` (each job's id, seed, status, final and latest error, decade crossings),
        the spread of their ``finalError`` and the ``decades`` they reached. ``GET /v1/studies/{id}``."""
        self.document = self.client.transport.json("GET", self._path)
        return self.document

    def status(self) -> str:
        """``queued`` (no job started), ``running`` (some job unfinished) or ``finished``."""
        return str(self.report()["status"])

    def counts(self) -> Dict[str, int]:
        """Its jobs by status: ``{"queued": …, "running": …, "succeeded": …, "failed": …, "cancelled": …}``."""
        return {str(k): int(v) for k, v in self.report()["counts"].items()}

    def jobs(self) -> List[Job]:
        """Its jobs (ordinary jobs: watch, download and delete them as any other), cell by cell, seed by seed."""
        report = self.report()
        return [Job(self.client, str(run["id"])) for cell in report["cells"] for run in cell["runs"]]

    def wait(self, progress: bool = True, *, poll: float = 1.0, timeout: Optional[float] = None,
             patience: float = 300.0,
             on_report: Optional[Callable[[Dict[str, Any]], None]] = None) -> Dict[str, Any]:
        """Polls the report every ``poll`` seconds until the study is ``finished`` (every job succeeded, failed or
        was cancelled) and returns the final report. Failed runs are results, not errors: look at ``counts``.

        ``progress`` shows a tqdm bar of finished jobs (with the counts) when tqdm is installed. A server that
        does not answer (restarting, say) is waited for up to ``patience`` seconds at a time, then raises;
        ``timeout`` raises :class:`PINNError` when the study has not finished within that many seconds.
        ``on_report`` is called with every report read."""
        bar = _progress_bar(self.id, self.document.get("jobs")) if progress else None
        start = time.monotonic()
        unreachable_since: Optional[float] = None
        try:
            while True:
                try:
                    report = self.report()
                    unreachable_since = None
                except PINNError as error:
                    if error.status is not None:
                        raise
                    unreachable_since = unreachable_since or time.monotonic()
                    if time.monotonic() - unreachable_since > patience:
                        raise
                    time.sleep(poll)
                    continue
                if on_report:
                    on_report(report)
                if bar is not None:
                    _update_bar(bar, report)
                if report["status"] == "finished":
                    return report
                if timeout is not None and time.monotonic() - start > timeout:
                    raise PINNError(f"study {self.id} has not finished after {timeout:g} s ({report['counts']})",
                                    url=self.client.transport.url(self._path))
                time.sleep(poll)
        finally:
            if bar is not None:
                bar.close()

    def cancel(self) -> Dict[str, Any]:
        """Cancels every queued or running job of the study (finished ones keep their results); the report.
        ``POST /v1/studies/{id}/cancel``."""
        self.document = self.client.transport.json("POST", self._path + "/cancel")
        return self.document

    def delete(self) -> Dict[str, Any]:
        """Removes the study and its jobs with all their data (running ones stop within an iteration); the
        server's answer ``{"deleted": True, "id", "jobs"}``. ``DELETE /v1/studies/{id}``."""
        return dict(self.client.transport.json("DELETE", self._path))

    # MARK: - Results

    def picture(self, x: str = "seconds", *, width: Optional[int] = None, height: Optional[int] = None) -> bytes:
        """The server's PNG: per cell, the median relative L2 error of its runs as a line and their min–max as a
        band, over training ``seconds`` or ``iteration``. Raises :class:`PINNError` 409 before any evaluation."""
        if x not in PICTURE_AXES:
            raise ValueError(f"picture: x={x!r} is not one of {', '.join(PICTURE_AXES)}")
        return self.client.transport.bytes(self._path + "/errors.png", accept="image/png",
                                           params={"x": x, "width": width, "height": height})

    def summary(self, *, as_frame: Optional[bool] = None, report: Optional[Mapping[str, Any]] = None) -> Any:
        """The cells' summary, one row per cell in the report's order: ``index``, ``label``, one field per varied
        path (named as the path; numbers as float64, booleans as bool, anything else as text, JSON for arrays and
        objects), ``runs``, ``succeeded``, ``failed``, ``finalError_median``, ``finalError_min``,
        ``finalError_max`` (NaN before a run succeeded), and for each decade 10⁻ᵈ any cell reached
        ``reached_1e-d`` (runs that got there) and ``seconds_1e-d`` (their median training seconds to it, NaN
        when none did). A pandas DataFrame when pandas is installed (``as_frame`` chooses explicitly), else a
        structured numpy array. ``report`` summarises a report already read instead of asking the server."""
        table = summary_table(report if report is not None else self.report())
        if as_frame is None:
            as_frame = _has_pandas()
        return _frame(table) if as_frame else table

    # MARK: - Jupyter

    def _repr_png_(self) -> Optional[bytes]:
        try:
            return self.picture()
        except PINNError:
            return None


def summary_table(report: Mapping[str, Any]) -> np.ndarray:
    """The structured array of :meth:`Study.summary` from a report (``GET /v1/studies/{id}``)."""
    cells: List[Mapping[str, Any]] = list(report.get("cells") or [])
    paths = [str(v["path"]) for v in report.get("variations") or []]
    deepest = max([int(d["decade"]) for cell in cells for d in cell.get("decades") or [] if d.get("reached")] + [1])
    columns: List[Tuple[str, Any]] = [("index", np.int64), ("label", _text_dtype(str(c.get("label", ""))
                                                                                for c in cells))]
    for path in paths:
        columns.append((path, _value_dtype([cell["values"].get(path) for cell in cells])))
    columns += [("runs", np.int64), ("succeeded", np.int64), ("failed", np.int64), ("finalError_median", np.float64),
                ("finalError_min", np.float64), ("finalError_max", np.float64)]
    for d in range(1, deepest + 1):
        columns += [(f"reached_1e-{d}", np.int64), (f"seconds_1e-{d}", np.float64)]
    dtype = np.dtype(columns)
    rows = []
    for cell in cells:
        runs = list(cell.get("runs") or [])
        spread = cell.get("finalError") or {}
        row: List[Any] = [int(cell["index"]), str(cell.get("label", ""))]
        row += [_value(cell["values"].get(path), dtype[path]) for path in paths]
        row += [len(runs), sum(1 for r in runs if r.get("status") == "succeeded"),
                sum(1 for r in runs if r.get("status") == "failed"),
                _number(spread.get("median")), _number(spread.get("min")), _number(spread.get("max"))]
        decades = {int(d["decade"]): d for d in cell.get("decades") or []}
        for d in range(1, deepest + 1):
            decade = decades.get(d) or {}
            row += [int(decade.get("reached") or 0), _number((decade.get("seconds") or {}).get("median"))]
        rows.append(tuple(row))
    return np.array(rows, dtype=dtype)


def _frame(table: np.ndarray) -> Any:
    return as_frame(table)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _text_dtype(values: Any) -> Any:
    return f"<U{max([len(v) for v in values] + [1])}"


def _value_dtype(values: List[Any]) -> Any:
    if values and all(isinstance(v, bool) for v in values):
        return np.bool_
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return np.float64
    return _text_dtype(_text(v) for v in values)


def _value(value: Any, dtype: np.dtype) -> Any:
    if dtype.kind == "U":
        return _text(value)
    if dtype.kind == "b":
        return bool(value)
    return float(value)


def _has_pandas() -> bool:
    try:
        importlib.import_module("pandas")
    except ImportError:
        return False
    return True


def _progress_bar(study_id: str, total: Optional[int]) -> Any:
    """A tqdm bar over the study's finished jobs, or None without tqdm."""
    try:
        tqdm = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None
    return tqdm(desc=f"study {study_id[:8]}", unit="job", total=total)


def _update_bar(bar: Any, report: Mapping[str, Any]) -> None:
    counts = report.get("counts") or {}
    total = int(report.get("jobs") or 0)
    if total and bar.total != total:
        bar.total = total
    done = sum(int(counts.get(s) or 0) for s in ("succeeded", "failed", "cancelled"))
    bar.update(max(0, done - bar.n))
    bar.set_postfix({k: counts.get(k, 0) for k in ("running", "queued", "failed")}, refresh=False)
    bar.refresh()
