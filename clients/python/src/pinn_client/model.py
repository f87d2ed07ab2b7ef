"""A job's exported network (``GET /v1/jobs/{id}/model``, format ``pinn-model/1``, or ``pinn-model/2`` with one network
per time window), evaluated with numpy alone."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping

import numpy as np

ACTIVATIONS = {"tanh": np.tanh, "sin": np.sin}


def evaluate(model: Mapping[str, Any], points: Any) -> np.ndarray:
    """The network at ``points`` (count × inputs, in ``model["inputs"]`` order) → count × outputs, by the formula
    of docs/api.md: ξ = 2(x − lower)/(upper − lower) − 1, hᵏ = σ(slopesᵏ ⊙ (Wᵏ hᵏ⁻¹ + bᵏ)) for the hidden
    layers, u = Wᴰ hᴰ⁻¹ + bᴰ. It agrees with the server's ``predict`` to 1e-12."""
    x = np.asarray(points, dtype=np.float64)
    windows = model.get("windows")
    if windows:
        return _evaluate_windows(model, windows, x)
    lower, upper = np.asarray(model["lower"], dtype=np.float64), np.asarray(model["upper"], dtype=np.float64)
    h = input_features(model, x, 2 * (x - lower) / (upper - lower) - 1)
    sigma = ACTIVATIONS[model["activation"]]
    for layer in model["layers"]:
        z = h @ np.asarray(layer["weights"], dtype=np.float64).T + np.asarray(layer["biases"], dtype=np.float64)
        h = sigma(np.asarray(layer["slopes"], dtype=np.float64) * z) if layer.get("slopes") is not None else z
    return h


def _evaluate_windows(model: Mapping[str, Any], windows: List[Mapping[str, Any]], x: np.ndarray) -> np.ndarray:
    """A time-marched model (``pinn-model/2``): each point by its time window's network, window
    j = min(#{seams ≤ t}, windows − 1) (a seam belongs to the later window), with that window's box."""
    x = np.atleast_2d(x)
    t = x[:, model["inputs"].index(model["timeInput"])]
    index = np.minimum(np.searchsorted(np.asarray(model["seams"], dtype=np.float64), t, side="right"), len(windows) - 1)
    values = np.zeros((len(x), len(model["outputs"])))
    for j, window in enumerate(windows):
        rows = index == j
        if rows.any():
            single = {**model, "lower": window["lower"], "upper": window["upper"], "layers": window["layers"],
                      "windows": None}
            values[rows] = evaluate(single, x[rows])
    return values


def input_features(model: Mapping[str, Any], x: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """h⁰ of docs/job-spec.md "Input features": ξ, or with ``model["features"]``: v = per input cos(2πx/P),
    sin(2πx/P) when it has a period P, else ξ; then [cos(Bv), sin(Bv)] when a Fourier matrix B is given."""
    features = model.get("features")
    if not features:
        return xi
    columns: List[np.ndarray] = []
    for j, period in enumerate(features["periods"]):
        if period is None:
            columns.append(xi[:, j])
        else:
            omega = 2 * np.pi / period
            columns += [np.cos(omega * x[:, j]), np.sin(omega * x[:, j])]
    v = np.stack(columns, axis=1)
    if features.get("fourier") is None:
        return v
    bv = v @ np.asarray(features["fourier"], dtype=np.float64).T
    return np.hstack([np.cos(bv), np.sin(bv)])


class Model:
    """The exported network: ``document`` is the server's JSON as is; calling the model evaluates it
    (``model(x=xs, t=ts)`` → ``{"u": array}``, inputs broadcast together and outputs shaped like them)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = dict(document)

    @property
    def inputs(self) -> List[str]:
        return list(self.document["inputs"])

    @property
    def outputs(self) -> List[str]:
        return list(self.document["outputs"])

    @property
    def learned(self) -> Dict[str, float]:
        """An inverse problem's learned parameters by name (empty otherwise)."""
        return {name: float(value) for name, value in (self.document.get("learned") or {}).items()}

    @property
    def iteration(self) -> int:
        return int(self.document["iteration"])

    def evaluate(self, points: Any) -> np.ndarray:
        """count × inputs → count × outputs (:func:`evaluate`)."""
        return evaluate(self.document, points)

    def __call__(self, **inputs: Any) -> Dict[str, np.ndarray]:
        missing = [name for name in self.inputs if name not in inputs]
        unknown = [name for name in inputs if name not in self.inputs]
        if missing or unknown:
            raise ValueError(f"the model takes {', '.join(self.inputs)}"
                             + (f"; missing {', '.join(missing)}" if missing else "")
                             + (f"; unknown {', '.join(unknown)}" if unknown else ""))
        arrays = np.broadcast_arrays(*[np.asarray(inputs[name], dtype=np.float64) for name in self.inputs])
        shape = arrays[0].shape
        values = self.evaluate(np.stack([a.ravel() for a in arrays], axis=1))
        return {name: values[:, k].reshape(shape) for k, name in enumerate(self.outputs)}

    def __repr__(self) -> str:
        layers = [len(layer["biases"]) for layer in self.document["layers"][:-1]]
        return (f"Model({', '.join(self.inputs)} → {', '.join(self.outputs)}, layers {layers}, "
                f"{self.document['activation']}, adaptive {self.document['adaptive']}, iteration {self.iteration})")
