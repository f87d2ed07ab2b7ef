extension ProblemPresets {
    /// The seed paper's function-fitting experiment (Jagtap, Kawaguchi & Karniadakis): regression, no PDE.
    static let discontinuousFit = Preset(name: "discontinuous-fit", summary: "fit u(x) = 0.2·sin(6x) for x ≤ 0, 1 + 0.1·x·cos(18x) for x > 0, on [−3, 3] (300 points, 4×50, Adam lr 2e−4)", json: """
    {
      "problem": {
        "name": "discontinuous-fit",
        "inputs": ["x"],
        "domain": {"x": [-3, 3]},
        "outputs": ["u"],
        "conditions": [{"name": "data", "on": "domain", "u": "x <= 0 ? 0.2*sin(6*x) : 1 + 0.1*x*cos(18*x)"}],
        "exact": {"u": "x <= 0 ? 0.2*sin(6*x) : 1 + 0.1*x*cos(18*x)"}
      },
      "network": {"layers": [50, 50, 50, 50]},
      "training": {"collocationPoints": 300, "sampler": "uniform", "threads": 1, "slopeRecoveryWeight": 1,
                   "evaluateEvery": 1000,
                   "phases": [{"optimizer": "adam", "iterations": 15000, "learningRate": 0.0002}]},
      "output": {"grid": {"x": 1000}}
    }
    """)
}
