#!/usr/bin/env python3
"""Status-read latency and training speed with many open event streams, against a running pinn-server.

Opens N Server-Sent Event streams on a running job (raw sockets, read continuously by one thread), then times
status reads (GET /v1/jobs/ID, one connection per request) and reports the median and 99th percentile, for each N
in one run, so the figures compare within the run. Usage:
    python3 bench/service/streams.py --base http://127.0.0.1:8080 --streams 0 100 500 --reads 300
It submits its own long job (cancelled at the end). Standard library only.
"""
import argparse, json, selectors, socket, statistics, threading, time, urllib.request
from urllib.parse import urlparse


def request(base, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=body.encode() if body else None)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def open_streams(base, job, n):
    url = urlparse(base)
    sockets = []
    for _ in range(n):
        s = socket.create_connection((url.hostname, url.port))
        s.sendall(f"GET /v1/jobs/{job}/events?since=1000000000 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        s.setblocking(False)
        sockets.append(s)
    return sockets


def drain(sockets, stop, counter):
    selector = selectors.DefaultSelector()
    for s in sockets:
        selector.register(s, selectors.EVENT_READ)
    while not stop.is_set():
        for key, _ in selector.select(timeout=0.2):
            try:
                data = key.fileobj.recv(65536)
                counter[0] += len(data)
            except BlockingIOError:
                pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--streams", type=int, nargs="+", default=[0, 100, 500])
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    job = request(args.base, "POST", "/v1/jobs",
                  '{"problem": "burgers", "training": {"phases": [{"optimizer": "adam", "iterations": 1000000}]}}')["id"]
    while request(args.base, "GET", f"/v1/jobs/{job}")["status"] != "running":
        time.sleep(0.1)
    print(f"job {job} running; {args.reads} status reads per row")
    print("| open streams | status median ms | status p99 ms | training iterations/s | stream bytes received |")
    print("|---|---|---|---|---|")
    for n in args.streams:
        sockets = open_streams(args.base, job, n)
        stop, counter = threading.Event(), [0]
        reader = threading.Thread(target=drain, args=(sockets, stop, counter))
        reader.start()
        time.sleep(1.5)  # every stream has had its first events
        times = []
        first, began = request(args.base, "GET", f"/v1/jobs/{job}")["progress"]["iteration"], time.perf_counter()
        for _ in range(args.reads):
            start = time.perf_counter()
            request(args.base, "GET", f"/v1/jobs/{job}")
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.005)
        rate = (request(args.base, "GET", f"/v1/jobs/{job}")["progress"]["iteration"] - first) / (time.perf_counter() - began)
        stop.set()
        reader.join()
        for s in sockets:
            s.close()
        times.sort()
        print(f"| {n} | {statistics.median(times):.2f} | {times[int(0.99 * len(times)) - 1]:.2f} | {rate:.0f} | {counter[0]} |")
        time.sleep(1)
    request(args.base, "POST", f"/v1/jobs/{job}/cancel")


if __name__ == "__main__":
    main()
