"""A job's network on a grid (``GET /v1/jobs/{id}/solution``) as numpy arrays with their axes."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

import numpy as np


@dataclass
class Solution:
    """The network on a grid spanning the domain: ``axes`` are the input names, time first (``["t", "x"]``), and
    ``coords[name]`` their points; ``values[output]`` has one dimension per axis, in that order
    (``values["u"][i, j]`` at ``t[i]``, ``x[j]``). With an exact solution, ``exact[output]`` holds it and
    ``error[output]`` the network minus it, with ``relative_l2`` = ‖u − u*‖₂ / ‖u*‖₂ over all outputs; without one
    they are empty and ``relative_l2`` is ``None``. ``iteration`` and ``final`` say which network answered: the
    finished job's (``final``), or a running job's latest checkpoint."""

    axes: List[str]
    coords: Dict[str, np.ndarray]
    values: Dict[str, np.ndarray]
    exact: Dict[str, np.ndarray] = field(default_factory=dict)
    error: Dict[str, np.ndarray] = field(default_factory=dict)
    relative_l2: Optional[float] = None
    iteration: Optional[int] = None
    final: bool = True

    @property
    def outputs(self) -> List[str]:
        return list(self.values)

    def __getitem__(self, output: str) -> np.ndarray:
        """``solution["u"]``: the values of one output."""
        return self.values[output]

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "Solution":
        """Reads the solution JSON (docs/api.md); ``null`` (a value that is not finite) becomes ``nan``."""
        axes = list(document["axes"])
        return cls(axes=axes,
                   coords={name: _array(document[name]) for name in axes},
                   values={name: _array(document[name]) for name in document["outputs"]},
                   exact={name: _array(v) for name, v in (document.get("exact") or {}).items()},
                   error={name: _array(v) for name, v in (document.get("error") or {}).items()},
                   relative_l2=_number(document.get("relativeL2")),
                   iteration=document.get("iteration"),
                   final=bool(document.get("final", True)))

    def points(self) -> Dict[str, np.ndarray]:
        """Every grid point's coordinates by input name, each shaped like the values (``np.meshgrid`` in the
        grid's own order), e.g. to pass to :meth:`Job.predict`."""
        mesh = np.meshgrid(*[self.coords[name] for name in self.axes], indexing="ij")
        return dict(zip(self.axes, mesh))

    def to_xarray(self, output: Optional[str] = None) -> Any:
        """One output as an ``xarray.DataArray`` with the axes as dimensions and coordinates; the exact solution
        and the error, when there are any, are coordinates of it too (``da.exact``, ``da.error``)."""
        try:
            xarray = importlib.import_module("xarray")
        except ImportError as error:
            raise ImportError("to_xarray needs xarray: pip install xarray") from error
        name = output or self.outputs[0]
        if name not in self.values:
            raise KeyError(f"no output {name!r} (outputs: {', '.join(self.outputs)})")
        coords: Dict[str, Any] = {axis: self.coords[axis] for axis in self.axes}
        if name in self.exact:
            coords["exact"] = (self.axes, self.exact[name])
            coords["error"] = (self.axes, self.error[name])
        attrs: Dict[str, Any] = {"iteration": self.iteration, "final": int(self.final)}
        if self.relative_l2 is not None:
            attrs["relativeL2"] = self.relative_l2
        return xarray.DataArray(self.values[name], dims=self.axes, coords=coords, name=name, attrs=attrs)


def _array(value: Any) -> np.ndarray:
    return np.array(value, dtype=np.float64)   # None (JSON null) → nan


def _number(value: Any) -> Optional[float]:
    return None if value is None else float(value)
