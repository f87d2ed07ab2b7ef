extension ProblemPresets {
    /// DeepXDE's Helmholtz example: k₀ = 2πn with n = 2, four half-waves per side. sin activations suit the
    /// oscillatory solution; points follow DeepXDE's ~10 per wavelength in each direction.
    static let helmholtz2D = Preset(name: "helmholtz-2d", summary: "−Δu − k₀²u = k₀²·sin(k₀x)·sin(k₀y) on [0, 1]², k₀ = 4π, u = 0 on the boundary; exact sin(k₀x)·sin(k₀y)", json: """
    {
      "problem": {
        "name": "helmholtz-2d",
        "inputs": ["x", "y"],
        "domain": {"x": [0, 1], "y": [0, 1]},
        "outputs": ["u"],
        "parameters": {"k0": 12.566370614359172},
        "equations": ["-u_xx - u_yy - k0^2*u - k0^2*sin(k0*x)*sin(k0*y)"],
        "conditions": [{"name": "boundary", "on": ["x = 0", "x = 1", "y = 0", "y = 1"], "u": "0"}],
        "exact": {"u": "sin(k0*x)*sin(k0*y)"}
      },
      "network": {"layers": [100, 100, 100], "activation": "sin"},
      "training": {"collocationPoints": 4000, "boundaryPoints": 800, "weights": {"boundary": 100}, "phases": [
        {"optimizer": "adam", "iterations": 5000, "learningRate": 0.001},
        {"optimizer": "lbfgs", "iterations": 1000, "trainSlopes": false}
      ]},
      "output": {"grid": {"x": 101, "y": 101}}
    }
    """)
}
