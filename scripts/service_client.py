"""pinn-server as the test and measurement scripts drive it: HTTP calls, waiting for a condition, server processes
(started on a port, awaited on /healthz, stopped), their /metrics, and a throwaway PostgreSQL cluster.

A script in scripts/ imports it from its own directory, whatever the current directory is:

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from service_client import call, wait_for
"""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER_SCRIPT = os.path.join(HERE, "postgres-test-cluster.sh")


# MARK: - HTTP

class ServiceError(Exception):
    """An error status (4xx, 5xx) where the caller needed a success: `status` and the parsed `body` are kept."""

    def __init__(self, method, path, status, body):
        super().__init__(f"{method} {path}: {status} {body}")
        self.status = status
        self.body = body


def call(base, method, path, body=None, token=None, timeout=30):
    """Sends one request to the server at `base` (e.g. http://127.0.0.1:8080) and returns (status, body, headers)
    for every status, error statuses included: the body parsed as JSON (None when empty or not JSON), the headers
    as a dict. `body` is a JSON string, sent as application/json; `token` goes in an `Authorization: Bearer`
    header. A server that cannot be reached raises OSError (urllib.error.URLError, ConnectionError, timeouts)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, method=method, headers=headers,
                                     data=body.encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _parsed(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, _parsed(error.read()), dict(error.headers)


def call_json(base, method, path, body=None, token=None, timeout=30):
    """The parsed JSON body of a successful answer (status below 400) to the request `call` sends; an error status
    raises ServiceError, an unreachable server OSError."""
    status, parsed, _ = call(base, method, path, body, token, timeout)
    if status >= 400:
        raise ServiceError(method, path, status, parsed)
    return parsed


def _parsed(data):
    """`data` parsed as JSON; None when it is empty or not JSON (a plain-text error page, say)."""
    try:
        return json.loads(data or b"null")
    except ValueError:
        return None


def wait_for(condition, seconds, step=0.1):
    """Calls `condition` every `step` seconds until it returns a true value, and returns that value; None when
    `seconds` pass first. An OSError from `condition` (the server not answering yet, or restarting) counts as not
    yet."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(step)
    return None


def metric(base, name):
    """The value of the unlabelled sample `name` (e.g. pinn_jobs_training) on the server's GET /metrics, or None
    when the server does not report it."""
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    return None


# MARK: - Server processes

def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on at the moment of asking (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(command, env, log_path, **popen_options):
    """Starts the server process `command` (a list: the binary and its arguments, or a wrapper such as taskset)
    with environment `env`, its standard output and error appended to the file `log_path`; returns the Popen.
    It does not wait: `wait_until_healthy` does."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=log, **popen_options)


def wait_until_healthy(process, base, seconds, step=0.1):
    """Waits until the server `process`, listening at `base`, answers GET /healthz with 200: True then; False when
    the process exits first or `seconds` pass."""
    def settled():
        if process.poll() is not None:
            return "exited"
        return "healthy" if call(base, "GET", "/healthz")[0] == 200 else None
    return wait_for(settled, seconds, step) == "healthy"


def stop_servers(processes, seconds=20):
    """Stops every process of `processes` still running: SIGTERM to all of them (so they shut down side by side),
    then for each, once it has had `seconds` to exit, SIGKILL. On return every one has exited."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# MARK: - PostgreSQL

def start_postgres_cluster():
    """Starts a throwaway PostgreSQL cluster on a Unix socket (scripts/postgres-test-cluster.sh) and returns the
    connection URL of its database pinn_test. Raises subprocess.CalledProcessError when it cannot."""
    return subprocess.run([CLUSTER_SCRIPT, "start"], check=True, capture_output=True, text=True).stdout.strip()


def stop_postgres_cluster(url):
    """Stops the cluster `start_postgres_cluster` started at `url` and deletes its directory."""
    subprocess.run([CLUSTER_SCRIPT, "stop", url])
