extension ProblemPresets {
    /// DeepXDE's Klein–Gordon example: u_tt + α·u_xx + β·u + γ·u² = f with α = −1, β = 0, γ = 1.
    static let kleinGordon = Preset(name: "klein-gordon", summary: "u_tt + α·u_xx + β·u + γ·u² = −x·cos t + x²·cos² t, α = −1, β = 0, γ = 1, x ∈ [−1, 1], t ∈ [0, 10]; exact x·cos t", json: """
    {
      "problem": {
        "name": "klein-gordon",
        "inputs": ["x", "t"],
        "domain": {"x": [-1, 1], "t": [0, 10]},
        "outputs": ["u"],
        "parameters": {"alpha": -1, "beta": 0, "gamma": 1},
        "equations": ["u_tt + alpha*u_xx + beta*u + gamma*u^2 + x*cos(t) - x^2*cos(t)^2"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "x", "u_t": "0"},
          {"name": "boundary", "on": ["x = -1", "x = 1"], "u": "x*cos(t)"}
        ],
        "exact": {"u": "x*cos(t)"}
      },
      "network": {"layers": [40, 40, 40], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 4000, "boundaryPoints": 400, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 20000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 3000}]},
      "output": {"grid": {"x": 101, "t": 201}}
    }
    """)
}
