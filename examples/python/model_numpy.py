#!/usr/bin/env python3
"""Evaluate a job's exported network with numpy alone and check it against the server's own predictions.

    python3 model_numpy.py JOB_ID [--server URL] [--points N]

Fetches GET /v1/jobs/JOB_ID/model, evaluates it at N random points of the domain (and its corners) with
`evaluate` below, asks POST /v1/jobs/JOB_ID/predict for the same points, and prints the largest difference; then
the same against the solution grid (GET /v1/jobs/JOB_ID/solution) for a finished job.
Exit status: 0 when it is below 1e-12, 1 when it is not, 2 when the server refuses or cannot be reached.
"""
import argparse
import itertools
import os
import sys

import numpy as np
import requests

TOLERANCE = 1e-12


def evaluate(model, points):
    """points: (count, inputs) in model["inputs"] order -> (count, outputs). The formula of docs/api.md:
    ξ = 2(x − lower)/(upper − lower) − 1, hᵏ = σ(slopesᵏ ⊙ (Wᵏ hᵏ⁻¹ + bᵏ)) for the hidden layers, u = Wᴰ hᴰ⁻¹ + bᴰ."""
    x = np.asarray(points, dtype=np.float64)
    lower, upper = np.asarray(model["lower"], dtype=np.float64), np.asarray(model["upper"], dtype=np.float64)
    h = input_features(model, x, 2 * (x - lower) / (upper - lower) - 1)
    sigma = {"tanh": np.tanh, "sin": np.sin}[model["activation"]]
    for layer in model["layers"]:
        z = h @ np.asarray(layer["weights"], dtype=np.float64).T + np.asarray(layer["biases"], dtype=np.float64)
        h = sigma(np.asarray(layer["slopes"], dtype=np.float64) * z) if layer.get("slopes") is not None else z
    return h


def input_features(model, x, xi):
    """h⁰: ξ, or with model["features"]: v = per input cos(2πx/P), sin(2πx/P) when it has a period P, else ξ;
    then [cos(Bv), sin(Bv)] when a Fourier matrix B is given."""
    features = model.get("features")
    if not features:
        return xi
    columns = []
    for j, period in enumerate(features["periods"]):
        if period is None:
            columns.append(xi[:, j])
        else:
            omega = 2 * np.pi / period
            columns += [np.cos(omega * x[:, j]), np.sin(omega * x[:, j])]
    v = np.stack(columns, axis=1)
    if features.get("fourier") is None:
        return v
    bv = v @ np.asarray(features["fourier"], dtype=np.float64).T
    return np.hstack([np.cos(bv), np.sin(bv)])


def get_json(method, url, **kwargs):
    try:
        response = requests.request(method, url, timeout=60, **kwargs)
    except requests.RequestException as error:
        print(f"model_numpy: cannot reach {url}: {error}", file=sys.stderr)
        sys.exit(2)
    if not response.ok:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:200]
        print(f"model_numpy: {method} {url}: {message} (HTTP {response.status_code})", file=sys.stderr)
        sys.exit(2)
    return response.json()


def sample_points(model, count, seed=0):
    """`count` uniform points in the box, then its corners."""
    lower, upper = np.asarray(model["lower"], dtype=np.float64), np.asarray(model["upper"], dtype=np.float64)
    inside = np.random.default_rng(seed).uniform(lower, upper, size=(count, len(lower)))
    corners = np.array(list(itertools.product(*zip(lower, upper))), dtype=np.float64)
    return np.vstack([inside, corners])


def max_difference(server, job_id, count):
    """The largest |evaluate − predict| over every output and point, and the iteration it was taken at. A running
    job may checkpoint between the two requests: then both are fetched again."""
    for _ in range(5):
        model = get_json("GET", f"{server}/v1/jobs/{job_id}/model")
        points = sample_points(model, count)
        body = {"points": {name: points[:, k].tolist() for k, name in enumerate(model["inputs"])}}
        prediction = get_json("POST", f"{server}/v1/jobs/{job_id}/predict", json=body)
        if prediction.get("iteration") == model.get("iteration"):
            break
    else:
        print("model_numpy: the job kept checkpointing between /model and /predict", file=sys.stderr)
        sys.exit(2)
    ours = evaluate(model, points)
    worst = 0.0
    for k, name in enumerate(model["outputs"]):
        theirs = np.array([np.nan if v is None else v for v in prediction[name]], dtype=np.float64)  # null: not finite
        same = (ours[:, k] == theirs) | (np.isnan(ours[:, k]) & np.isnan(theirs))
        difference = np.where(same, 0.0, np.abs(ours[:, k] - theirs))
        worst = max(worst, float(np.nan_to_num(difference, nan=np.inf).max(initial=0.0)))
    return worst, model.get("iteration")


def grid_difference(server, job_id, model):
    """The largest |evaluate − solution| over the job's output grid (JSON), every output."""
    grid = get_json("GET", f"{server}/v1/jobs/{job_id}/solution")
    axes = [np.asarray(grid[name], dtype=np.float64) for name in grid["axes"]]
    mesh = np.meshgrid(*axes, indexing="ij")  # the grid's nesting: first axis outermost
    points = np.stack([mesh[grid["axes"].index(name)].ravel() for name in model["inputs"]], axis=1)
    ours = evaluate(model, points)
    worst = 0.0
    for k, name in enumerate(model["outputs"]):
        theirs = np.array(grid[name], dtype=np.float64).ravel()
        worst = max(worst, float(np.abs(ours[:, k] - theirs).max()))
    return worst, len(points)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("job_id")
    parser.add_argument("--server", default=os.environ.get("PINN_SERVER", "http://127.0.0.1:8080"),
                        help="default $PINN_SERVER or http://127.0.0.1:8080")
    parser.add_argument("--points", type=int, default=1000)
    args = parser.parse_args()
    server = args.server.rstrip("/")
    if "://" not in server:
        server = "http://" + server

    difference, iteration = max_difference(server, args.job_id, args.points)
    source = f"network at iteration {iteration}"
    print(f"max |numpy - server| = {difference:.3e} over {args.points} points and the corners ({source})")
    if difference >= TOLERANCE:
        print(f"model_numpy: FAIL: the difference is not below {TOLERANCE:g}", file=sys.stderr)
        sys.exit(1)
    model = get_json("GET", f"{server}/v1/jobs/{args.job_id}/model")
    if model.get("final"):
        difference, count = grid_difference(server, args.job_id, model)
        print(f"max |numpy - solution grid| = {difference:.3e} over its {count} points")
        if difference >= TOLERANCE:
            print(f"model_numpy: FAIL: the grid differs by {difference:.3e}", file=sys.stderr)
            sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
