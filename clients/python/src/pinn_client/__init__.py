"""pinn_client: the Python client of pinn-service (docs/python.md).

    from pinn_client import Client
    job = Client().submit("burgers")       # PINN_SERVER / PINN_TOKEN, or Client(url, token)
    job.wait()
    u = job.solution()
    study = Client().submit_study("config/studies/burgers-adaptive-modes.json")
    study.wait()
    table = study.summary()                # per cell: runs, median/min/max final error, decades reached
"""
from .client import Client
from .errors import FieldIssue, PINNError
from .events import Event
from .job import Job
from .model import Model, evaluate
from .prediction import Prediction
from .solution import Solution
from .study import Study

__version__ = "0.1.0"
__all__ = ["Client", "Event", "FieldIssue", "Job", "Model", "PINNError", "Prediction", "Solution", "Study", "evaluate",
           "__version__"]
