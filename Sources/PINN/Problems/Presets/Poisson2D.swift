extension ProblemPresets {
    static let poisson2D = Preset(name: "poisson-2d", summary: "−Δu = 2π²·sin(πx)·sin(πy) on [0, 1]², u = 0 on the boundary; exact sin(πx)·sin(πy)", json: """
    {
      "problem": {
        "name": "poisson-2d",
        "inputs": ["x", "y"],
        "domain": {"x": [0, 1], "y": [0, 1]},
        "outputs": ["u"],
        "equations": ["u_xx + u_yy + 2*pi^2*sin(pi*x)*sin(pi*y)"],
        "conditions": [{"name": "boundary", "on": ["x = 0", "x = 1", "y = 0", "y = 1"], "u": "0"}],
        "exact": {"u": "sin(pi*x)*sin(pi*y)"}
      },
      "network": {"layers": [30, 30, 30], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 2000, "boundaryPoints": 400, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 20000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 3000}]},
      "output": {"grid": {"x": 101, "y": 101}}
    }
    """)
}
