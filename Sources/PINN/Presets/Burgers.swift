extension ProblemPresets {
    /// Raissi, Perdikaris & Karniadakis (2019) and the adaptive-activation papers: ν = 0.01/π, a shock at x = 0.
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
      "output": {"grid": {"x": 256, "t": 100}}
    }
    """)
}
