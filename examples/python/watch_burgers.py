#!/usr/bin/env python3
"""Submit a Burgers job to pinn-server, follow its Server-Sent Events to the end, then download the solution and
the exact solution as .npy, compute the relative L2 error with numpy and, when matplotlib is installed, save
burgers.png (solution, exact, |error| side by side).

    python3 watch_burgers.py [SERVER] [--spec FILE]

SERVER defaults to http://127.0.0.1:8080, the spec to {"problem": "burgers"}. Needs requests and numpy.
The routes are described in docs/api.md.
"""
import argparse
import io
import json
import sys
import time

import numpy as np
import requests

# How long the event stream may stay unreachable before giving up (the server may be restarting: its jobs resume).
PATIENCE_SECONDS = 60


def fail(message):
    print(f"watch_burgers: {message}", file=sys.stderr)
    sys.exit(1)


def checked(response):
    """The response when it is 2xx; otherwise exit with the server's error message and every spec issue."""
    if response.ok:
        return response
    try:
        error = response.json()["error"]
        lines = [f"{error['message']} (HTTP {response.status_code})"]
        lines += [f"  {issue['field']}: {issue['message']}" for issue in error.get("issues", [])]
    except (ValueError, KeyError, TypeError):
        lines = [f"HTTP {response.status_code}: {response.text[:200]}"]
    fail("\n".join(lines))


def sse_events(response):
    """Yields (event, id, data) from a text/event-stream response as the events arrive (parsed by hand: fields
    `event`, `id`, `data`, `retry`; lines starting with ':' are comments such as the server's keepalive)."""
    event, data, last_id = "message", [], None
    # chunk_size=None hands over each chunk as it arrives; a fixed size would wait for that many bytes.
    for raw in response.iter_lines(chunk_size=None):
        line = raw.decode("utf-8")
        if line == "":
            if data:
                yield event, last_id, "\n".join(data)
            event, data = "message", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            last_id = value
        elif field == "retry" and value.isdigit():
            yield "retry", last_id, value


def follow(server, job_id):
    """Prints the job's progress from its events until `end`; reconnects with Last-Event-ID when the connection
    drops, so no record is missed or repeated. Answers the job's final status."""
    url = f"{server}/v1/jobs/{job_id}/events"
    last_id, retry_seconds, failing_since = None, 2.0, None
    status, latest_loss, last_print = None, None, 0.0
    while True:
        headers = {"Accept": "text/event-stream"}
        if last_id:
            headers["Last-Event-ID"] = last_id
        try:
            # The read timeout outlasts the server's 15 s keepalive.
            with requests.get(url, headers=headers, stream=True, timeout=(5, 60)) as response:
                checked(response)
                failing_since = None
                for event, event_id, data in sse_events(response):
                    if event == "retry":
                        retry_seconds = int(data) / 1000
                        continue
                    last_id = event_id or last_id
                    record = json.loads(data)
                    if event == "loss":
                        latest_loss = record
                    elif event == "error":
                        print(f"  iteration {record['iteration']:6d}  relative L2 {fmt(record['relativeL2'])}")
                    elif event == "status":
                        # A status closes each batch of records: show the newest loss, at most one line a second.
                        if latest_loss and time.monotonic() - last_print >= 1:
                            print_loss(latest_loss)
                            latest_loss, last_print = None, time.monotonic()
                        if record["status"] != status:
                            status = record["status"]
                            progress = record["progress"]
                            print(f"status {status} ({progress['iteration']}/{progress['totalIterations']} iterations)")
                    elif event == "end":
                        if latest_loss:
                            print_loss(latest_loss)
                        return record["status"]
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as error:
            failing_since = failing_since or time.monotonic()
            if time.monotonic() - failing_since > PATIENCE_SECONDS:
                fail(f"the event stream has been unreachable for {PATIENCE_SECONDS} s: {error}")
            print(f"  (connection lost: {type(error).__name__}; reconnecting from {last_id or 'the start'})",
                  file=sys.stderr)
        # The stream ended without `end` (the server stopped), or the connection dropped: resume after the last id.
        time.sleep(retry_seconds)


def print_loss(record):
    print(f"  iteration {record['iteration']:6d}  phase {record['phase']}  loss {fmt(record['total'])}")


def fmt(x):
    return f"{x:.3e}" if isinstance(x, (int, float)) else str(x)   # non-finite numbers arrive as "NaN" etc.


def download_npy(server, job_id, **query):
    response = checked(requests.get(f"{server}/v1/jobs/{job_id}/solution", params={"format": "npy", **query},
                                    timeout=60))
    return np.load(io.BytesIO(response.content))


def save_picture(job, u, exact, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: not drawing burgers.png (pip install matplotlib)")
        return
    problem = job["spec"]["problem"]
    # The solution's axes are time first, then the other inputs in order (docs/api.md): u[i][j] at t[i], x[j].
    axes = sorted(problem["inputs"], key=lambda name: name != "t")
    (t0, t1), (x0, x1) = problem["domain"][axes[0]], problem["domain"][axes[1]]
    figure, panels = plt.subplots(1, 3, figsize=(15, 4), constrained_layout=True)
    for panel, values, title, cmap in zip(panels, [u, exact, np.abs(u - exact)],
                                          ["network u", "exact u*", "|u − u*|"], ["RdBu_r", "RdBu_r", "magma"]):
        image = panel.imshow(values.T, origin="lower", aspect="auto", extent=[t0, t1, x0, x1], cmap=cmap)
        panel.set(title=title, xlabel=axes[0], ylabel=axes[1])
        figure.colorbar(image, ax=panel)
    figure.savefig(path, dpi=120)
    print(f"saved {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("server", nargs="?", default="http://127.0.0.1:8080")
    parser.add_argument("--spec", help='a job spec file (default {"problem": "burgers"})')
    args = parser.parse_args()
    server = args.server.rstrip("/")
    if "://" not in server:
        server = "http://" + server
    spec = {"problem": "burgers"}
    try:
        if args.spec:
            with open(args.spec) as file:
                spec = json.load(file)
    except (OSError, ValueError) as error:
        fail(f"cannot read {args.spec}: {error}")

    try:
        job = checked(requests.post(f"{server}/v1/jobs", json=spec, timeout=30)).json()
    except requests.ConnectionError as error:
        fail(f"cannot reach {server}: {error}")
    job_id = job["id"]
    print(f"submitted job {job_id}")

    status = follow(server, job_id)
    job = checked(requests.get(f"{server}/v1/jobs/{job_id}", timeout=30)).json()
    if status != "succeeded":
        fail(f"job {job_id} ended {status}" + (f": {job['failure']}" if job.get("failure") else ""))

    u = download_npy(server, job_id)
    exact = download_npy(server, job_id, quantity="exact")
    print(f"solution shape {u.shape} (axes time first), exact shape {exact.shape}")
    error = np.linalg.norm(u - exact) / np.linalg.norm(exact)
    print(f"relative L2 error {error:.4e} (numpy); the server says {fmt((job.get('error') or {}).get('relativeL2'))}")
    save_picture(job, u, exact, "burgers.png")


if __name__ == "__main__":
    main()
