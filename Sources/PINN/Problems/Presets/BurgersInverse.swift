extension ProblemPresets {
    /// Raissi et al.'s data-driven discovery of Burgers: the viscosity is unknown (starting from 0.05, about
    /// 16 times too large) and is learned from 2,000 noiseless samples of the exact solution (true ν = 0.01/π).
    /// The data term weighs 10: pinned to the data, the network leaves ν to reconcile the PDE (with weight 1 a
    /// reduced run ended 39% off, with 10 within 2%; docs/problems.md).
    static let burgersInverse = Preset(name: "burgers-inverse", summary: "learn ν in u_t + u·u_x = ν·u_xx from 2,000 samples of the exact solution (true ν = 0.01/π)", json: """
    {
      "problem": {
        "name": "burgers-inverse",
        "inputs": ["x", "t"],
        "domain": {"x": [-1, 1], "t": [0, 1]},
        "outputs": ["u"],
        "parameters": {"nu": {"learn": true, "initial": 0.05}},
        "equations": ["u_t + u*u_x - nu*u_xx"],
        "observations": [{"name": "data", "sampleExact": 2000, "weight": 10}],
        "exact": {"reference": "burgers", "nu": 0.003183098861837907}
      },
      "training": {"collocationPoints": 10000, "phases": [
        {"optimizer": "adam", "iterations": 2000, "learningRate": 0.001},
        {"optimizer": "lbfgs", "iterations": 4000, "trainSlopes": false}
      ]},
      "output": {"grid": {"x": 256, "t": 100}}
    }
    """)
}
