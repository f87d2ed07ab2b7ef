extension ProblemPresets {
    /// Korteweg–de Vries, u_t + 6u·u_x + u_xxx = 0, with the one-soliton solution u = (c/2)·sech²(√c/2·(x − ct − x₀))
    /// for c = 4, x₀ = −2: a soliton of height 2 travelling from x = −2 to x = 2 over t ∈ [0, 1]. A third-order
    /// equation takes three boundary values: u on both ends and u_x on the right.
    static let kdv = Preset(name: "kdv", summary: "u_t + 6u·u_x + u_xxx = 0, x ∈ [−5, 5], t ∈ [0, 1]; exact: the soliton 2·sech²(x − 4t + 2)", json: """
    {
      "problem": {
        "name": "kdv",
        "inputs": ["x", "t"],
        "domain": {"x": [-5, 5], "t": [0, 1]},
        "outputs": ["u"],
        "equations": ["u_t + 6*u*u_x + u_xxx"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "2/cosh(x + 2)^2"},
          {"name": "boundary", "on": ["x = -5", "x = 5"], "u": "2/cosh(x - 4*t + 2)^2"},
          {"name": "slope", "on": "x = 5", "u_x": "-4*sinh(x - 4*t + 2)/cosh(x - 4*t + 2)^3"}
        ],
        "exact": {"u": "2/cosh(x - 4*t + 2)^2"}
      },
      "network": {"layers": [30, 30, 30, 30], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 4000, "boundaryPoints": 250, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 50000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 5000}]},
      "output": {"grid": {"x": 256, "t": 101}}
    }
    """)
}
