"""The network at given points (``POST /v1/jobs/{id}/predict``): outputs, derivatives and residuals as arrays."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterator, Mapping, Optional

import numpy as np


@dataclass
class Prediction(Mapping[str, np.ndarray]):
    """``prediction["u"]``, ``prediction["u_x"]``: one array per output and derivative (``arrays``, also read
    through the mapping's methods: ``dict(prediction)``, ``prediction.keys()``), shaped like the inputs
    (broadcast together); ``residuals[name]`` the problem's interior equations' residuals when asked for;
    ``iteration``/``final`` the network that answered (a running job answers from its latest checkpoint)."""

    arrays: Dict[str, np.ndarray]
    residuals: Dict[str, np.ndarray] = field(default_factory=dict)
    iteration: Optional[int] = None
    final: bool = True

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrays)

    def __len__(self) -> int:
        return len(self.arrays)
