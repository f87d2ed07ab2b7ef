"""The network at given points (``POST /v1/jobs/{id}/predict``): outputs, derivatives and residuals as arrays."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterator, Mapping, Optional

import numpy as np


@dataclass
class Prediction(Mapping[str, np.ndarray]):
    """``prediction["u"]``, ``prediction["u_x"]``: one array per output and derivative, shaped like the inputs
    (broadcast together); ``residuals[name]`` the problem's interior equations' residuals when asked for;
    ``iteration``/``final`` the network that answered (a running job answers from its latest checkpoint)."""

    values: Dict[str, np.ndarray]
    residuals: Dict[str, np.ndarray] = field(default_factory=dict)
    iteration: Optional[int] = None
    final: bool = True

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)
