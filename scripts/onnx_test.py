"""The ONNX export against a live pinn-server (docs/api.md, "ONNX"): tiny Burgers jobs in every adaptive mode in
double precision, one in float, and two with input features (periodic in x, and random Fourier features); for each, GET /v1/jobs/{id}/model.onnx must pass onnx.checker (full check, with
shape inference), and onnxruntime must reproduce POST /v1/jobs/{id}/predict at 1,000 random points of the domain to
1e-12 (double) or 1e-6 (float), as |onnx − predict| ≤ tol · max(1, |predict|). With --pinn, `pinn get ID model
--format onnx` must download the same bytes. Run by scripts/onnx-test.sh, which builds the server and the venv.

    python scripts/onnx_test.py --server .build/release/pinn-server [--pinn .build/release/pinn]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import numpy as np
import onnx
import onnxruntime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from service_client import call_json, free_port, start_server, stop_servers, wait_for, wait_until_healthy  # noqa: E402

POINTS = 1000
PERIODIC = {"periodic": {"x": 2}}
FOURIER = {"periodic": {"x": 2}, "fourier": {"features": 6, "scale": 2, "seed": 5}}
CASES = [  # (adaptive, activation, precision, input features, tolerance)
    ("fixed", "tanh", "double", {}, 1e-12),
    ("global", "sin", "double", {}, 1e-12),
    ("layer", "tanh", "double", {}, 1e-12),
    ("neuron", "tanh", "double", {}, 1e-12),
    ("neuron", "sin", "float", {}, 1e-6),
    ("layer", "tanh", "double", PERIODIC, 1e-12),
    ("neuron", "tanh", "double", FOURIER, 1e-12),
    ("neuron", "tanh", "double", {"timeWindows": 3}, 1e-12),
    ("layer", "tanh", "double", {**PERIODIC, "timeWindows": 2}, 1e-12),
    ("fixed", "sin", "float", {"timeWindows": 4}, 1e-6),  # seams 0.25, 0.5, 0.75: exact in float too
]


def spec(adaptive, activation, precision, features):
    """`features`: network members, and `timeWindows` (a time-marched model: one network per window, Where-selected)."""
    network = {key: value for key, value in features.items() if key != "timeWindows"}
    windows = {"timeWindows": features["timeWindows"]} if "timeWindows" in features else {}
    return json.dumps({
        "problem": "burgers",
        "network": {"layers": [12, 10], "adaptive": adaptive, "activation": activation, "scale": 5, **network},
        "training": {"collocationPoints": 100, "boundaryPoints": 20, "precision": precision, "threads": 1,
                     "resampling": None, "logEvery": 10, "evaluateEvery": 0, **windows,
                     "phases": [{"optimizer": "adam", "iterations": 40, "learningRate": 0.01}]},
        "output": {"grid": {"x": 8, "t": 4}}})


def download(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.read(), response.headers.get("Content-Type")


def check(base, job_id, case, rng, pinn):
    adaptive, activation, precision, features, tolerance = case
    data, content_type = download(base, f"/v1/jobs/{job_id}/model.onnx")
    assert content_type == "application/octet-stream", content_type
    model = onnx.load_from_string(data)
    onnx.checker.check_model(model, full_check=True)
    dtype = np.float64 if precision == "double" else np.float32
    meta = call_json(base, "GET", f"/v1/jobs/{job_id}/model")
    lower, upper = np.array(meta["lower"]), np.array(meta["upper"])
    # Float: the points as the float model sees them, so both sides evaluate the same coordinates.
    points = lower + (upper - lower) * rng.random((POINTS, len(lower)))
    if meta.get("seams"):  # a time-marched model: points on every seam too (they belong to the later window)
        column = meta["inputs"].index(meta["timeInput"])
        on_seams = points[:len(meta["seams"]) * 10].copy()
        on_seams[:, column] = np.repeat(meta["seams"], 10)
        points = np.vstack([points, on_seams])
    points = points.astype(dtype)
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    (ours,) = session.run(["outputs"], {"inputs": points})
    assert ours.dtype == dtype and ours.shape == (len(points), len(meta["outputs"])), (ours.dtype, ours.shape)
    body = {"points": {name: points[:, j].astype(np.float64).tolist() for j, name in enumerate(meta["inputs"])}}
    predicted = call_json(base, "POST", f"/v1/jobs/{job_id}/predict", json.dumps(body))
    reference = np.stack([np.array(predicted[name], dtype=np.float64) for name in meta["outputs"]], axis=1)
    difference = np.abs(ours.astype(np.float64) - reference)
    scaled = float(np.max(difference / np.maximum(1.0, np.abs(reference))))
    if pinn:
        with tempfile.NamedTemporaryFile(suffix=".onnx") as file:
            subprocess.run([pinn, "get", job_id, "model", "--format", "onnx", "-o", file.name, "--server", base],
                           check=True)
            assert open(file.name, "rb").read() == data, "pinn get … --format onnx wrote other bytes"
    ok = scaled <= tolerance
    label = "+".join(features) or "no features"
    print(f"{'PASS' if ok else 'FAIL'} {precision:6} {adaptive:6} {activation:4} {label:16}: {len(model.graph.node)} nodes, "
          f"max |onnx − predict| / max(1, |predict|) = {scaled:.2e} (tolerance {tolerance:.0e}), "
          f"max |predict| = {np.max(np.abs(reference)):.3f}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the pinn-server binary")
    parser.add_argument("--pinn", help="the pinn client binary: also check `pinn get ID model --format onnx`")
    args = parser.parse_args()
    began = time.time()
    work = tempfile.mkdtemp(prefix="pinn-onnx-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server([args.server, "--port", str(port), "--store-path", os.path.join(work, "pinn.sqlite"),
                           "--workers", "2", "--cores-per-job", "1"], dict(os.environ), os.path.join(work, "server.log"))
    try:
        if not wait_until_healthy(server, base, 30):
            print(open(os.path.join(work, "server.log")).read(), file=sys.stderr)
            return 1
        ids = [call_json(base, "POST", "/v1/jobs", spec(*case[:4]))["id"] for case in CASES]
        finished = wait_for(lambda: all(call_json(base, "GET", f"/v1/jobs/{i}")["status"] in ("succeeded", "failed")
                                        for i in ids) or None, 120)
        statuses = [call_json(base, "GET", f"/v1/jobs/{i}")["status"] for i in ids]
        if not finished or any(s != "succeeded" for s in statuses):
            print(f"FAIL the jobs ended {statuses}", file=sys.stderr)
            return 1
        rng = np.random.default_rng(20261207)
        results = [check(base, job_id, case, rng, args.pinn) for job_id, case in zip(ids, CASES)]
    finally:
        stop_servers([server])
    print(f"onnx-test: {sum(results)}/{len(results)} models agree with /predict "
          f"(onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}; {time.time() - began:.0f} s)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
