extension ProblemPresets {
    /// DeepXDE's Helmholtz example: k₀ = 2πn with n = 2, four half-waves per side. sin activations suit the
    /// oscillatory solution; points follow DeepXDE's ~10 per wavelength in each direction. Trained by SSBroyden with
    /// RAD on a 3×40 sin network (docs/problems.md); the earlier 3×100 under Adam + L-BFGS ended at 3.1e-2.
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
      "network": {"layers": [40, 40, 40], "activation": "sin", "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 4000, "boundaryPoints": 800, "weights": {"boundary": 10},
        "evaluateEvery": 100, "resampling": {"every": 250, "candidates": 50000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 7000}]},
      "output": {"grid": {"x": 101, "y": 101}}
    }
    """)
}
