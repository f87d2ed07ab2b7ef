extension ProblemPresets {
    static let poisson1D = Preset(name: "poisson-1d", summary: "−u_xx = π²·sin(πx) on [−1, 1], u(±1) = 0; exact sin(πx)", json: """
    {
      "problem": {
        "name": "poisson-1d",
        "inputs": ["x"],
        "domain": {"x": [-1, 1]},
        "outputs": ["u"],
        "equations": ["u_xx + pi^2*sin(pi*x)"],
        "conditions": [{"name": "boundary", "on": ["x = -1", "x = 1"], "u": "0"}],
        "exact": {"u": "sin(pi*x)"}
      },
      "network": {"layers": [20, 20, 20]},
      "training": {"collocationPoints": 256, "boundaryPoints": 2, "phases": [
        {"optimizer": "adam", "iterations": 1000, "learningRate": 0.001},
        {"optimizer": "lbfgs", "iterations": 1000, "trainSlopes": false}
      ]},
      "output": {"grid": {"x": 1001}}
    }
    """)
}
