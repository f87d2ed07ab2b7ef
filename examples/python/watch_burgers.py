#!/usr/bin/env python3
"""Submit a Burgers job to pinn-server, follow it live to the end, then read the solution and the exact solution
as numpy arrays, compute the relative L2 error with numpy and, when matplotlib is installed, save burgers.png
(solution, exact, |error| side by side).

    python3 watch_burgers.py [SERVER] [--spec FILE]

SERVER defaults to $PINN_SERVER, else http://127.0.0.1:8080; the spec to {"problem": "burgers"}. Needs the client
package: pip install ./clients/python (docs/python.md), which follows the event stream through dropped connections
and server restarts.
"""
import argparse
import sys

import numpy as np

from pinn_client import Client, PINNError


def save_picture(solution, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: not drawing burgers.png (pip install matplotlib)")
        return
    # The solution's axes are time first (u[i, j] at t[i], x[j]): transpose to put x on the vertical axis.
    (t0, t1), (x0, x1) = ((solution.coords[a][0], solution.coords[a][-1]) for a in solution.axes)
    u, exact = solution["u"], solution.exact["u"]
    figure, panels = plt.subplots(1, 3, figsize=(15, 4), constrained_layout=True)
    for panel, values, title, cmap in zip(panels, [u, exact, np.abs(u - exact)],
                                          ["network u", "exact u*", "|u − u*|"], ["RdBu_r", "RdBu_r", "magma"]):
        image = panel.imshow(values.T, origin="lower", aspect="auto", extent=[t0, t1, x0, x1], cmap=cmap)
        panel.set(title=title, xlabel=solution.axes[0], ylabel=solution.axes[1])
        figure.colorbar(image, ax=panel)
    figure.savefig(path, dpi=120)
    print(f"saved {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("server", nargs="?")
    parser.add_argument("--spec", help='a job spec file (default {"problem": "burgers"})')
    args = parser.parse_args()
    try:
        client = Client(args.server)
        job = client.submit(args.spec or "burgers")
        print(f"submitted job {job.id}")
        final = job.wait(progress=True)   # raises PINNError with the reason if the job fails
        if final["status"] != "succeeded":
            sys.exit(f"watch_burgers: job {job.id} ended {final['status']}")
        solution = job.solution(as_xarray=False)
    except PINNError as error:
        sys.exit(f"watch_burgers: {error}")
    u, exact = solution["u"], solution.exact["u"]
    print(f"solution shape {u.shape} (axes {', '.join(solution.axes)}), exact shape {exact.shape}")
    error = np.linalg.norm(u - exact) / np.linalg.norm(exact)
    print(f"relative L2 error {error:.4e} (numpy); the server says {solution.relative_l2:.4e}")
    save_picture(solution, "burgers.png")


if __name__ == "__main__":
    main()
