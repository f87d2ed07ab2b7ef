extension ProblemPresets {
    /// Raissi, Perdikaris & Karniadakis (2019) and the adaptive-activation papers: ν = 0.01/π, a shock at x = 0.
    /// The schedule is the self-scaled quasi-Newton recipe measured best on it (docs/training.md): 4×20 tanh with
    /// periodic features in x (the solution is odd and 2-periodic, so u(±1, t) = 0 holds on the periodic extension),
    /// SSBroyden from the start on 3,000 interior points resampled by RAD every 250 iterations.
    static let burgers = Preset(name: "burgers", summary: "u_t + u·u_x = ν·u_xx, ν = 0.01/π, u(x,0) = −sin(πx); exact: Cole–Hopf", json: """
    {
      "problem": {
        "name": "burgers",
        "inputs": ["x", "t"],
        "domain": {"x": [-1, 1], "t": [0, 1]},
        "outputs": ["u"],
        "parameters": {"nu": 0.003183098861837907},
        "equations": ["u_t + u*u_x - nu*u_xx"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "-sin(pi*x)"},
          {"name": "boundary", "on": ["x = -1", "x = 1"], "u": "0"}
        ],
        "exact": {"reference": "burgers"}
      },
      "network": {"layers": [20, 20, 20, 20], "adaptive": "fixed", "slopeRecovery": false, "periodic": {"x": 2}},
      "training": {
        "collocationPoints": 3000, "boundaryPoints": 250, "weights": {"initial": 5, "boundary": 5},
        "resampling": {"every": 250, "candidates": 50000},
        "evaluateEvery": 100,
        "phases": [{"optimizer": "ssbroyden", "iterations": 5000}]
      },
      "output": {"grid": {"x": 256, "t": 100}}
    }
    """)
}
