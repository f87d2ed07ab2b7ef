#!/usr/bin/env python3
"""Evaluate a job's exported network with numpy alone and check it against the server's own predictions.

    python3 model_numpy.py JOB_ID [--server URL] [--points N]

Fetches the job's model (GET /v1/jobs/JOB_ID/model), evaluates it at N random points of the domain (and its
corners) with `pinn_client.evaluate` — the formula of docs/api.md, numpy alone — asks the server's predict for the
same points, and prints the largest difference; then the same against the solution grid for a finished job.
Exit status: 0 when it is below 1e-12, 1 when it is not, 2 when the server refuses or cannot be reached.
Needs the client package: pip install ./clients/python (docs/python.md).
"""
import argparse
import itertools
import os
import sys

import numpy as np

from pinn_client import Client, PINNError, evaluate

TOLERANCE = 1e-12


def sample_points(model, count, seed=0):
    """`count` uniform points in the box, then its corners."""
    lower, upper = np.asarray(model["lower"], dtype=np.float64), np.asarray(model["upper"], dtype=np.float64)
    inside = np.random.default_rng(seed).uniform(lower, upper, size=(count, len(lower)))
    corners = np.array(list(itertools.product(*zip(lower, upper))), dtype=np.float64)
    return np.vstack([inside, corners])


def largest_difference(ours, theirs):
    """max |ours − theirs| over every entry, where two NaNs (a value that is not finite) count as equal."""
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    return float(np.nan_to_num(np.where(same, 0.0, np.abs(ours - theirs)), nan=np.inf).max(initial=0.0))


def predict_difference(job, count):
    """The largest |evaluate − predict| over every output and point, and the iteration it was taken at. A running
    job may checkpoint between the two requests: then both are fetched again."""
    for _ in range(5):
        model = job.model().document
        points = sample_points(model, count)
        prediction = job.predict(**{name: points[:, k] for k, name in enumerate(model["inputs"])})
        if prediction.iteration == model.get("iteration"):
            break
    else:
        raise PINNError("the job kept checkpointing between /model and /predict")
    ours = evaluate(model, points)
    worst = max(largest_difference(ours[:, k], prediction[name]) for k, name in enumerate(model["outputs"]))
    return worst, model.get("iteration"), model


def grid_difference(job, model):
    """The largest |evaluate − solution| over the job's output grid, every output."""
    grid = job.solution(as_xarray=False)
    mesh = grid.points()
    points = np.stack([mesh[name].ravel() for name in model["inputs"]], axis=1)
    ours = evaluate(model, points)
    worst = max(largest_difference(ours[:, k], grid[name].ravel()) for k, name in enumerate(model["outputs"]))
    return worst, len(points)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("job_id")
    parser.add_argument("--server", default=os.environ.get("PINN_SERVER", "http://127.0.0.1:8080"),
                        help="default $PINN_SERVER or http://127.0.0.1:8080")
    parser.add_argument("--points", type=int, default=1000)
    args = parser.parse_args()
    try:
        job = Client(args.server).job(args.job_id)
        difference, iteration, model = predict_difference(job, args.points)
        print(f"max |numpy - server| = {difference:.3e} over {args.points} points and the corners "
              f"(network at iteration {iteration})")
        if difference >= TOLERANCE:
            print(f"model_numpy: FAIL: the difference is not below {TOLERANCE:g}", file=sys.stderr)
            sys.exit(1)
        if model.get("final"):
            difference, count = grid_difference(job, model)
            print(f"max |numpy - solution grid| = {difference:.3e} over its {count} points")
            if difference >= TOLERANCE:
                print(f"model_numpy: FAIL: the grid differs by {difference:.3e}", file=sys.stderr)
                sys.exit(1)
    except PINNError as error:
        print(f"model_numpy: {error}", file=sys.stderr)
        sys.exit(2)
    print("OK")


if __name__ == "__main__":
    main()
