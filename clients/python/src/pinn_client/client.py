"""The entry point: a server's address and token, submitting jobs, listing them, the presets."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Union

import requests

from ._http import Transport
from .errors import PINNError
from .job import Job
from .study import Study

#: What ``submit`` takes: a spec dict, a path to a spec file, or a preset's name.
Spec = Union[Mapping[str, Any], str, "os.PathLike[str]"]
#: What ``submit_study`` takes: a study dict (docs/api.md, "Studies") or a path to a study file.
StudySpec = Union[Mapping[str, Any], str, "os.PathLike[str]"]

DEFAULT_SERVER = "http://127.0.0.1:8080"


class Client:
    """A pinn-service server. ``url`` defaults to ``$PINN_SERVER``, else ``http://127.0.0.1:8080`` (a bare
    ``host:port`` gets ``http://``); ``token`` to ``$PINN_TOKEN``, sent as ``Authorization: Bearer``."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None,
                 session: Optional[requests.Session] = None) -> None:
        base = (url or os.environ.get("PINN_SERVER") or DEFAULT_SERVER).strip().rstrip("/")
        if "://" not in base:
            base = "http://" + base
        self.url = base
        self.transport = Transport(base, token if token is not None else os.environ.get("PINN_TOKEN") or None,
                                   session)

    def __repr__(self) -> str:
        return f"Client({self.url!r})"

    def submit(self, spec: Spec, *, shared: bool = False) -> Job:
        """Submits a job and returns it (queued). ``spec`` is a job spec as a dict (docs/job-spec.md), a path to a
        JSON spec file, or a preset's name (``"burgers"``: the same as ``{"problem": "burgers"}``). ``shared``
        makes the job visible to every caller of a server with tokens. An invalid spec raises
        :class:`PINNError` with every field issue."""
        document = self.transport.json("POST", "/v1/jobs", body=self._spec(spec),
                                       params={"shared": True} if shared else None)
        return Job(self, document["id"], document)

    def job(self, job_id: str) -> Job:
        """The job with this id (raises :class:`PINNError` 404 when there is none the caller may see)."""
        job = Job(self, job_id)
        job.info()
        return job

    def jobs(self, status: Optional[str] = None, *, limit: Optional[int] = None) -> List[Job]:
        """The jobs the caller may see, newest first: all of them, or those with ``status`` (``queued``,
        ``running``, ``succeeded``, ``failed``, ``cancelled``); at most ``limit``."""
        jobs: List[Job] = []
        params: Dict[str, Any] = {"status": status, "limit": min(limit, 1000) if limit else 1000, "offset": 0}
        while True:
            page = self.transport.json("GET", "/v1/jobs", params=params)
            jobs += [Job(self, document["id"], document) for document in page["jobs"]]
            if not page.get("next") or (limit is not None and len(jobs) >= limit):
                return jobs[:limit] if limit is not None else jobs
            params["offset"] = int(page["offset"]) + len(page["jobs"])

    def submit_study(self, spec: StudySpec, *, shared: bool = False) -> Study:
        """Submits a study — one job spec over a grid of variations and seeds (docs/api.md, "Studies") — and
        returns it, every job queued. ``spec`` is the study as a dict (``{"base": {…}, "variations": {path:
        [values]}, "seeds": n}``) or a path to a JSON study file (``config/studies/…``). An invalid study raises
        :class:`PINNError` with every field issue; one whose jobs do not fit in the queue now a 429 with
        ``retry_after``."""
        if not isinstance(spec, Mapping):
            spec = self._file(str(spec), "study")
        document = self.transport.json("POST", "/v1/studies", body=spec,
                                       params={"shared": True} if shared else None)
        return Study(self, document["id"], document)

    def study(self, study_id: str) -> Study:
        """The study with this id (raises :class:`PINNError` 404 when there is none the caller may see)."""
        study = Study(self, study_id)
        study.report()
        return study

    def studies(self, *, limit: Optional[int] = None) -> List[Study]:
        """The studies the caller may see, newest first, every page of ``GET /v1/studies``; at most ``limit``.
        Each one's ``document`` is its listing: ``name``, ``status``, ``jobs``, ``cells``, ``counts``."""
        studies: List[Study] = []
        params: Dict[str, Any] = {"limit": min(limit, 1000) if limit else 1000, "offset": 0}
        while True:
            page = self.transport.json("GET", "/v1/studies", params=params)
            studies += [Study(self, document["id"], document) for document in page["studies"]]
            if not page.get("next") or not page["studies"] or (limit is not None and len(studies) >= limit):
                return studies[:limit] if limit is not None else studies
            params["offset"] = int(page["offset"]) + len(page["studies"])

    def presets(self) -> Dict[str, str]:
        """The presets the server knows, name → one-line summary."""
        return {p["name"]: p.get("summary", "") for p in self.transport.json("GET", "/v1/presets")["presets"]}

    def preset(self, name: str) -> Dict[str, Any]:
        """A preset's full normalised job spec: submit it as is, or edit it and submit it."""
        return dict(self.transport.json("GET", f"/v1/presets/{name}"))

    def health(self) -> bool:
        """Whether the server answers ``/healthz`` with ``{"status": "ok"}``."""
        try:
            return bool(self.transport.json("GET", "/healthz").get("status") == "ok")
        except PINNError:
            return False

    @classmethod
    def _spec(cls, spec: Spec) -> Mapping[str, Any]:
        if isinstance(spec, Mapping):
            return spec
        path = Path(spec)
        text = str(spec)
        if path.suffix == ".json" or path.is_file() or os.sep in text:
            return cls._file(text, "spec")
        return {"problem": text}

    @staticmethod
    def _file(text: str, what: str) -> Dict[str, Any]:
        """The JSON object in the file at ``text``; ``what`` names it in errors (``spec``, ``study``)."""
        try:
            loaded = json.loads(Path(text).read_text())
        except OSError as error:
            raise PINNError(f"cannot read the {what} file {text}: {error.strerror or error}") from error
        except ValueError as error:
            raise PINNError(f"the {what} file {text} is not JSON: {error}") from error
        if not isinstance(loaded, dict):
            raise PINNError(f"the {what} file {text} holds {type(loaded).__name__}, not a JSON object")
        return loaded
