"""One job on the server: its status, following it live, its histories, solution, pictures, network."""
from __future__ import annotations

import base64
import importlib
import html
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence

import numpy as np

from . import events as event_stream
from .errors import PINNError
from .model import Model
from .prediction import Prediction
from .solution import Solution
from .tables import as_frame, parse_csv

if TYPE_CHECKING:
    from .client import Client

#: Statuses after which a job never changes again.
FINISHED = ("succeeded", "failed", "cancelled")
#: The pictures the server draws (docs/api.md, "Pictures").
PICTURES = ("solution", "exact", "error", "losses", "errors", "slopes")
#: Points per predict request: below the server's default ``maxPredictPoints`` (20,000) with room to spare.
PREDICT_BATCH = 10_000


class Job:
    """A job by its id. Nothing is cached but the last status document (``document``): every method asks the
    server, so a running job's answers change as it trains."""

    def __init__(self, client: "Client", job_id: str, document: Optional[Mapping[str, Any]] = None) -> None:
        self.client = client
        self.id = job_id
        self.document: Dict[str, Any] = dict(document or {})

    def __repr__(self) -> str:
        status = self.document.get("status", "?")
        return f"Job({self.id!r}, status={status!r})"

    @property
    def _path(self) -> str:
        return f"/v1/jobs/{self.id}"

    # MARK: - Status

    def info(self) -> Dict[str, Any]:
        """The status document, fresh from the server: status, progress, latest loss and error, failure, spec…"""
        self.document = self.client.transport.json("GET", self._path)
        return self.document

    def status(self) -> str:
        """``queued``, ``running``, ``succeeded``, ``failed`` or ``cancelled``."""
        return str(self.info()["status"])

    def events(self, *, last_event_id: Optional[str] = None,
               patience: float = 300.0) -> Iterator[event_stream.Event]:
        """The job's events until ``end`` (docs/api.md, "Events"), reconnecting with ``Last-Event-ID`` through
        dropped connections and server restarts for up to ``patience`` seconds of unreachability."""
        return event_stream.follow(self.client.transport, self.id, last_event_id=last_event_id, patience=patience)

    def wait(self, progress: bool = True, *, patience: float = 300.0, check: bool = True,
             on_event: Optional[Callable[[event_stream.Event], None]] = None) -> Dict[str, Any]:
        """Follows the job's event stream until it ends and returns its final status document.

        ``progress`` shows a tqdm bar (iterations, the latest loss and error) when tqdm is installed. The stream
        is resumed after a dropped connection or a server restart without missing or repeating a record; after
        ``patience`` seconds with the server unreachable it raises. ``check`` raises :class:`PINNError` with the
        job's failure when it failed. ``on_event`` is called with every event.
        """
        bar = _progress_bar(self.id, (self.document.get("progress") or {}).get("totalIterations")) if progress else None
        try:
            for event in self.events(patience=patience):
                if on_event:
                    on_event(event)
                if bar is not None and event.name == "status" and isinstance(event.data, dict):
                    _update_bar(bar, event.data)
        finally:
            if bar is not None:
                bar.close()
        document = self.info()
        if check and document["status"] == "failed":
            raise PINNError(f"job {self.id} failed: {document.get('failure') or 'no reason recorded'}",
                            url=self.client.transport.url(self._path))
        return document

    def cancel(self) -> Dict[str, Any]:
        """Cancels the queued or running job, keeping it and its data (a running one stops within one iteration);
        its status document. ``POST /v1/jobs/{id}/cancel``."""
        self.document = self.client.transport.json("POST", self._path + "/cancel")
        return self.document

    def delete(self) -> None:
        """Removes the job and all its data from the server, cancelling it first if it is queued or running;
        afterwards the server answers 404 for it. ``DELETE /v1/jobs/{id}``."""
        self.client.transport.json("DELETE", self._path)

    def purge(self) -> None:
        """The former name of `delete`."""
        self.delete()

    # MARK: - Histories

    def losses(self, *, every: Optional[int] = None, start: Optional[int] = None, as_frame: bool = False) -> Any:
        """The loss history: a structured array with fields ``iteration``, ``phase``, ``total``, one per loss
        term (``pde``, ``initial``, …, unweighted mean squares), ``slopeRecovery``, ``seconds`` and the learned
        parameters of an inverse problem; a pandas DataFrame with ``as_frame=True``. ``every`` keeps every n-th
        record (the last always), ``start`` skips the iterations before it."""
        return self._history("losses", every, start, as_frame)

    def errors(self, *, every: Optional[int] = None, start: Optional[int] = None, as_frame: bool = False) -> Any:
        """The error against the exact solution over time: ``iteration``, ``phase``, ``relativeL2`` and per output
        ``<output>_relativeL2``, ``<output>_maxAbsError`` (empty without an exact solution)."""
        return self._history("errors", every, start, as_frame)

    def slopes(self, *, every: Optional[int] = None, start: Optional[int] = None, as_frame: bool = False) -> Any:
        """The slopes over time: ``iteration``, ``phase``, n·ā per hidden layer (``layer1_na``, …), then every
        trainable slope (``a0``, ``a1``, …); empty for ``adaptive: fixed``."""
        return self._history("slopes", every, start, as_frame)

    def _history(self, name: str, every: Optional[int], start: Optional[int], frame: bool) -> Any:
        text = self.client.transport.request("GET", f"{self._path}/{name}", accept="text/csv",
                                             params={"format": "csv", "every": every, "from": start}).text
        table = parse_csv(text)
        return as_frame(table) if frame else table

    # MARK: - The network

    def solution(self, output: Optional[str] = None, *, as_xarray: Optional[bool] = None, **sizes: int) -> Any:
        """The network on a grid: a :class:`Solution` (numpy arrays with their axes), or with xarray installed an
        ``xarray.DataArray`` of ``output`` (default the first). ``as_xarray`` chooses explicitly. ``sizes`` set
        points per input (``nx=128, nt=50``; default the spec's ``output.grid``)."""
        params = {(name if name.startswith("n") else "n" + name): count for name, count in sizes.items()}
        solution = Solution.from_json(self.client.transport.json("GET", f"{self._path}/solution", params=params))
        if as_xarray is None:
            as_xarray = _has_xarray()
        return solution.to_xarray(output) if as_xarray else solution

    def solution_csv(self, **sizes: int) -> str:
        """The solution grid as the server's CSV: one row per point, ``t,x,u,exact_u,error_u``."""
        params: Dict[str, Any] = {(name if name.startswith("n") else "n" + name): count
                                  for name, count in sizes.items()}
        params["format"] = "csv"
        return self.client.transport.request("GET", f"{self._path}/solution", params=params,
                                             accept="text/csv").text

    def picture(self, name: str = "error", *, width: Optional[int] = None, height: Optional[int] = None,
                **options: Any) -> bytes:
        """A PNG the server draws: ``solution``, ``exact``, ``error`` (|u − u*|), ``losses``, ``errors`` or
        ``slopes``; ``options`` are the picture's other query parameters (``scale="log"``, ``output="u"``)."""
        if name not in PICTURES:
            raise ValueError(f"picture: {name!r} is not one of {', '.join(PICTURES)}")
        return self.client.transport.bytes(f"{self._path}/{name}.png", accept="image/png",
                                           params={"width": width, "height": height, **options})

    def predict(self, *, derivatives: Sequence[str] = (), residuals: bool = False, **inputs: Any) -> Prediction:
        """The network at points given per input (``x=…, t=…``: scalars or arrays, broadcast together) with
        ``derivatives`` (names of the expression language up to second order: ``u_x``, ``u_tx``) and the
        residuals of the problem's equations. Arrays in the answer are shaped like the broadcast inputs. Large
        sets are sent in batches of 10,000 points."""
        if not inputs:
            raise ValueError("predict: give every input's coordinates, e.g. predict(x=[0.1, 0.2], t=[0.5, 0.5])")
        names = list(inputs)
        arrays = np.broadcast_arrays(*[np.asarray(inputs[name], dtype=np.float64) for name in names])
        shape = arrays[0].shape
        flat = [a.ravel() for a in arrays]
        count = flat[0].size
        values: Dict[str, List[np.ndarray]] = {}
        found: Dict[str, List[np.ndarray]] = {}
        iteration, final = None, True
        for begin in range(0, max(count, 1), PREDICT_BATCH):
            body: Dict[str, Any] = {"points": {name: a[begin:begin + PREDICT_BATCH].tolist()
                                               for name, a in zip(names, flat)}}
            if derivatives:
                body["derivatives"] = list(derivatives)
            if residuals:
                body["residuals"] = True
            answer = self.client.transport.json("POST", f"{self._path}/predict", body=body)
            iteration, final = answer.get("iteration"), bool(answer.get("final", True))
            for key, value in answer.items():
                if key == "residuals":
                    for equation, list_ in value.items():
                        found.setdefault(equation, []).append(np.array(list_, dtype=np.float64))
                elif isinstance(value, list):
                    values.setdefault(key, []).append(np.array(value, dtype=np.float64))
        return Prediction(arrays={k: np.concatenate(v).reshape(shape) for k, v in values.items()},
                          residuals={k: np.concatenate(v).reshape(shape) for k, v in found.items()},
                          iteration=iteration, final=final)

    def model(self) -> Model:
        """The network as a self-contained document (weights, slopes, scaling), evaluable with numpy alone."""
        return Model(self.client.transport.json("GET", f"{self._path}/model"))

    # MARK: - Jupyter

    def _repr_png_(self) -> Optional[bytes]:
        """The error picture of a job with an exact solution (else the solution's), once there is a network."""
        for name in ("error", "solution"):
            try:
                return self.picture(name)
            except PINNError:
                continue
        return None

    def _repr_html_(self) -> str:
        try:
            document = self.info()
        except PINNError as error:
            return f"<b>Job {html.escape(self.id)}</b>: {html.escape(str(error))}"
        progress = document.get("progress") or {}
        rows = [("status", document.get("status")),
                ("iteration", f"{progress.get('iteration', 0)} / {progress.get('totalIterations', '?')} "
                              f"(phase {progress.get('phase', 0)})"),
                ("loss", (document.get("loss") or {}).get("total")),
                ("relative L2 error", (document.get("error") or {}).get("relativeL2")),
                ("failure", document.get("failure"))]
        table = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                        for k, v in rows if v is not None)
        picture = self._repr_png_()
        image = (f"<img src='data:image/png;base64,{base64.b64encode(picture).decode()}' style='max-width:100%'/>"
                 if picture else "")
        return f"<div><b>Job {html.escape(self.id)}</b><table>{table}</table>{image}</div>"


def _has_xarray() -> bool:
    try:
        importlib.import_module("xarray")
    except ImportError:
        return False
    return True


def _progress_bar(job_id: str, total: Optional[int]) -> Any:
    """A tqdm bar over the job's iterations (the notebook widget in Jupyter), or None without tqdm."""
    try:
        tqdm = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None
    return tqdm(desc=f"job {job_id[:8]}", unit="it", total=total)


def _update_bar(bar: Any, document: Mapping[str, Any]) -> None:
    progress = document.get("progress") or {}
    total = progress.get("totalIterations")
    if total and bar.total != total:
        bar.total = total
    iteration = int(progress.get("iteration") or 0)
    bar.update(max(0, iteration - bar.n))
    postfix = {"status": document.get("status")}
    loss = (document.get("loss") or {}).get("total")
    error = (document.get("error") or {}).get("relativeL2")
    if loss is not None:
        postfix["loss"] = _short(loss)
    if error is not None:
        postfix["L2"] = _short(error)
    bar.set_postfix(postfix, refresh=False)
    bar.refresh()


def _short(value: Any) -> str:
    return f"{value:.3e}" if isinstance(value, (int, float)) else str(value)   # "NaN" arrives as a string
