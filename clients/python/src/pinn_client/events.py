"""A job's Server-Sent Events (docs/api.md, "Events"), followed through dropped connections and server restarts.

The server's event ids are cursors: reconnecting with ``Last-Event-ID`` resumes after exactly the records already
received, so a follower that reconnects misses nothing and sees nothing twice.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, List, Optional

import requests

from ._http import Transport
from .errors import PINNError

#: Statuses worth waiting through: the server restarting behind a proxy, overloaded, or its store read-only.
RETRIED_STATUSES = {429, 502, 503, 504, 507}


@dataclass(frozen=True)
class Event:
    """One event: ``name`` is ``loss``, ``slopes``, ``error``, ``status`` or ``end``; ``data`` its parsed JSON
    (docs/api.md); ``id`` the cursor to resume after it."""

    name: str
    id: Optional[str]
    data: Any


def parse(lines: Iterable[str]) -> Iterator[Event]:
    """The events of a ``text/event-stream`` given line by line (fields ``event``, ``id``, ``data``, ``retry``;
    lines starting with ``:`` are comments, such as the server's keepalive). A ``retry`` field yields an event
    named ``retry`` whose data is the reconnection delay in milliseconds."""
    name, last_id = "message", None
    data: List[str] = []
    for line in lines:
        if line == "":
            if data:
                text = "\n".join(data)
                try:
                    value: Any = json.loads(text)
                except ValueError:
                    value = text
                yield Event(name, last_id, value)
            name, data = "message", []
            continue
        if line.startswith(":"):
            continue
        field, _, value_text = line.partition(":")
        value_text = value_text[1:] if value_text.startswith(" ") else value_text
        if field == "event":
            name = value_text
        elif field == "data":
            data.append(value_text)
        elif field == "id":
            last_id = value_text
        elif field == "retry" and value_text.isdigit():
            yield Event("retry", last_id, int(value_text))


def follow(transport: Transport, job_id: str, *, last_event_id: Optional[str] = None, patience: float = 300.0,
           on_reconnect: Optional[Callable[[BaseException], None]] = None) -> Iterator[Event]:
    """Yields the job's events until ``end`` (included), reconnecting with ``Last-Event-ID`` whenever the
    connection drops or the stream stops without ``end`` — a server killed and restarted on the same store and
    port, say. Reconnection waits 0.2 s, doubling to 5 s while the server stays unreachable; after
    ``patience`` seconds without a connection it raises :class:`PINNError`. An error the server means (an unknown
    job, a token it refuses) raises at once. ``on_reconnect`` hears each interruption."""
    path = f"/v1/jobs/{job_id}/events"
    delay = 0.2
    failing_since: Optional[float] = None
    while True:
        headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
        interruption: BaseException
        try:
            # The read timeout outlasts the server's 15 s keepalive.
            with transport.request("GET", path, accept="text/event-stream", stream=True, headers=headers,
                                   timeout=(5.0, 60.0)) as response:
                failing_since, delay = None, 0.2
                for event in parse(_lines(response)):
                    if event.name == "retry":   # EventSource's hint; the backoff here is our own
                        continue
                    last_event_id = event.id or last_event_id
                    yield event
                    if event.name == "end":
                        return
            interruption = PINNError("the event stream ended without an end event", url=transport.url(path))
        except PINNError as error:
            if error.status is not None and error.status not in RETRIED_STATUSES:
                raise
            interruption = error
        except (requests.RequestException, ConnectionError) as error:
            interruption = error
        failing_since = failing_since or time.monotonic()
        if time.monotonic() - failing_since > patience:
            raise PINNError(f"job {job_id}: its event stream has been unreachable for {patience:g} s "
                            f"(last: {interruption})", url=transport.url(path))
        if on_reconnect:
            on_reconnect(interruption)
        time.sleep(delay)
        delay = min(5.0, delay * 2)


def _lines(response: requests.Response) -> Iterator[str]:
    """The stream's lines as they arrive (``chunk_size=None`` hands over each chunk at once; a size would wait
    for that many bytes)."""
    for raw in response.iter_lines(chunk_size=None, decode_unicode=False):
        yield raw.decode("utf-8")
