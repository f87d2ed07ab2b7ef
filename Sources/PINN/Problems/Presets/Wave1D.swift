extension ProblemPresets {
    /// A string fixed at both ends, released from rest: two standing modes. The initial and boundary terms weigh
    /// more than the PDE (10; under Adam + L-BFGS at weight 1 training settled on a solution that satisfies the PDE
    /// but not the data). Trained by SSBroyden with RAD (docs/problems.md).
    static let wave1D = Preset(name: "wave-1d", summary: "u_tt = c²·u_xx, c = 1, u(x,0) = sin(πx) + ½sin(3πx), u_t(x,0) = 0, u(0,t) = u(1,t) = 0; exact sin(πx)cos(cπt) + ½sin(3πx)cos(3cπt)", json: """
    {
      "problem": {
        "name": "wave-1d",
        "inputs": ["x", "t"],
        "domain": {"x": [0, 1], "t": [0, 1]},
        "outputs": ["u"],
        "parameters": {"c": 1},
        "equations": ["u_tt - c^2*u_xx"],
        "conditions": [
          {"name": "initial", "on": "t = 0", "u": "sin(pi*x) + 0.5*sin(3*pi*x)", "u_t": "0"},
          {"name": "boundary", "on": ["x = 0", "x = 1"], "u": "0"}
        ],
        "exact": {"u": "sin(pi*x)*cos(c*pi*t) + 0.5*sin(3*pi*x)*cos(3*c*pi*t)"}
      },
      "network": {"layers": [30, 30, 30, 30], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 4000, "boundaryPoints": 400, "weights": {"initial": 10, "boundary": 10},
        "evaluateEvery": 100, "resampling": {"every": 250, "candidates": 50000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 7000}]},
      "output": {"grid": {"x": 101, "t": 101}}
    }
    """)
}
