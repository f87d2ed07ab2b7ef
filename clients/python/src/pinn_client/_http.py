"""One HTTP session to one server: the base URL, the bearer token, and answers turned into values or PINNError."""
from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional

import requests

from .errors import PINNError

#: Seconds to connect, and to wait for an answer (a large solution grid takes a second or two to compute).
TIMEOUT = (10.0, 120.0)


class Transport:
    """Sends requests to ``base`` (``http://host:port``, no trailing slash) with ``Authorization: Bearer token``
    when a token is given. Every failure becomes a :class:`PINNError`."""

    def __init__(self, base: str, token: Optional[str] = None, session: Optional[requests.Session] = None) -> None:
        self.base = base
        self.session = session or requests.Session()
        self.headers: Dict[str, str] = {"Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return self.base + path

    def request(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None, body: Any = None,
                accept: Optional[str] = None, stream: bool = False, headers: Optional[Mapping[str, str]] = None,
                timeout: Any = TIMEOUT) -> requests.Response:
        """The response to one request when its status is below 400; otherwise raises the server's error."""
        all_headers = dict(self.headers)
        if accept:
            all_headers["Accept"] = accept
        if headers:
            all_headers.update(headers)
        data = None
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode()
            all_headers["Content-Type"] = "application/json"
        url = self.url(path)
        try:
            response = self.session.request(method, url, params=_query(params), data=data, headers=all_headers,
                                            stream=stream, timeout=timeout)
        except requests.RequestException as error:
            raise PINNError(f"cannot reach {self.base}: {error}", method=method, url=url) from error
        if response.status_code >= 400:
            raise error_of(response, method, url)
        return response

    def json(self, method: str, path: str, **options: Any) -> Any:
        """The parsed JSON body of a successful answer."""
        response = self.request(method, path, **options)
        try:
            return response.json()
        except ValueError as error:
            raise PINNError(f"the server's answer is not JSON: {response.text[:200]!r}", status=response.status_code,
                            method=method, url=response.url) from error

    def bytes(self, path: str, params: Optional[Mapping[str, Any]] = None, accept: Optional[str] = None) -> bytes:
        return self.request("GET", path, params=params, accept=accept).content


def error_of(response: requests.Response, method: str, url: str) -> PINNError:
    """The PINNError of an error answer, with its ``Retry-After`` when it has one."""
    try:
        body = response.json()
    except ValueError:
        body = None
    retry = response.headers.get("Retry-After")
    retry_after = float(retry) if retry and retry.replace(".", "", 1).isdigit() else None
    return PINNError.from_body(response.status_code, body, method=method, url=url, text=response.text,
                               retry_after=retry_after)


def _query(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, str]]:
    """Query parameters without the ``None`` ones; booleans as the server spells them."""
    if not params:
        return None
    return {key: ("true" if value is True else "false" if value is False else str(value))
            for key, value in params.items() if value is not None}
