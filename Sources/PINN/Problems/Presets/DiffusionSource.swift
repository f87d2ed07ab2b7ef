extension ProblemPresets {
    /// Diffusion with a source chosen so that e^{−t}·sin(πx) solves it (DeepXDE's diffusion_1d example).
    static let diffusionSource = Preset(name: "diffusion-source", summary: "u_t = u_xx − e^{−t}(sin(πx) − π²sin(πx)), u(x,0) = sin(πx), u(±1,t) = 0; exact e^{−t}·sin(πx)", json: """
    {
      "problem": {
        "name": "diffusion-source",
        "inputs": ["x", "t"],
        "domain": {"x": [-1, 1], "t": [0, 1]},
        "outputs": ["u"],
        "equations": ["u_t - u_xx + exp(-t)*(sin(pi*x) - pi^2*sin(pi*x))"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "sin(pi*x)"},
          {"name": "boundary", "on": ["x = -1", "x = 1"], "u": "0"}
        ],
        "exact": {"u": "exp(-t)*sin(pi*x)"}
      },
      "network": {"layers": [32, 32, 32], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 2000, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 20000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 3000}]},
      "output": {"grid": {"x": 101, "t": 101}}
    }
    """)
}
