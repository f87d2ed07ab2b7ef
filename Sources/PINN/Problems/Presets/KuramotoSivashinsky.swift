extension ProblemPresets {
    /// The Kuramoto–Sivashinsky benchmark of jaxpi (Wang, Sankaran, Wang & Perdikaris 2023): the classic KS equation
    /// on [0, 32π] with u₀ = cos(x/16)(1 + sin(x/16)), rescaled to x ∈ [0, 2π] and t ∈ [0, 1] (t = 1 is 100 time
    /// units of the classic form). Fourth order, periodic in x (so the network gets periodic input features and the
    /// periodic condition holds by construction); no closed form, scored against `KuramotoSivashinskyReference`.
    static let kuramotoSivashinsky = Preset(name: "kuramoto-sivashinsky", summary: "u_t + α·u·u_x + β·u_xx + γ·u_xxxx = 0, α = 100/16, β = 100/16², γ = 100/16⁴, x ∈ [0, 2π] periodic, t ∈ [0, 1], u(x,0) = cos x·(1 + sin x); reference: spectral (ETDRK4)", json: """
    {
      "problem": {
        "name": "kuramoto-sivashinsky",
        "inputs": ["x", "t"],
        "domain": {"x": [0, 6.283185307179586], "t": [0, 1]},
        "outputs": ["u"],
        "parameters": {"alpha": 6.25, "beta": 0.390625, "gamma": 0.00152587890625},
        "equations": ["u_t + alpha*u*u_x + beta*u_xx + gamma*u_xxxx"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "cos(x)*(1 + sin(x))"},
          {"name": "periodic", "periodic": "x"}
        ],
        "exact": {"reference": "kuramoto-sivashinsky"}
      },
      "network": {"layers": [32, 32, 32, 32], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 4000, "boundaryPoints": 256, "weights": {"initial": 100}, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 50000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 5000}]},
      "output": {"grid": {"x": 256, "t": 101}}
    }
    """)
}
