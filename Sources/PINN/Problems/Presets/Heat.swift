extension ProblemPresets {
    /// The heat equation with diffusivity 0.4 (DeepXDE's heat example, n = 1, L = 1).
    static let heat = Preset(name: "heat", summary: "u_t = k·u_xx, k = 0.4, u(x,0) = sin(πx), u(0,t) = u(1,t) = 0; exact e^{−kπ²t}·sin(πx)", json: """
    {
      "problem": {
        "name": "heat",
        "inputs": ["x", "t"],
        "domain": {"x": [0, 1], "t": [0, 1]},
        "outputs": ["u"],
        "parameters": {"k": 0.4},
        "equations": ["u_t - k*u_xx"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "sin(pi*x)"},
          {"name": "boundary", "on": ["x = 0", "x = 1"], "u": "0"}
        ],
        "exact": {"u": "exp(-k*pi^2*t)*sin(pi*x)"}
      },
      "network": {"layers": [20, 20, 20, 20], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 2000, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 20000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 3000}]},
      "output": {"grid": {"x": 101, "t": 101}}
    }
    """)
}
