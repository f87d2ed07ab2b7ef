extension ProblemPresets {
    /// Kovasznay's flow (1948): steady 2-D Navier–Stokes behind a grid, three fields u, v, p, Re = 20, in closed form
    ///     u = 1 − e^{λx} cos 2πy,  v = λ/(2π)·e^{λx} sin 2πy,  p = ½(1 − e^{2λx}),  λ = Re/2 − √(Re²/4 + 4π²).
    /// Velocities on the whole boundary; the pressure, fixed only up to a constant by the equations, on the outlet x = 1.
    static let kovasznay = Preset(name: "kovasznay", summary: "steady Navier–Stokes u·∇u + ∇p = Δu/Re, ∇·u = 0, Re = 20, on [−0.5, 1] × [−0.5, 1.5]; exact: Kovasznay's flow (u, v, p)", json: """
    {
      "problem": {
        "name": "kovasznay",
        "inputs": ["x", "y"],
        "domain": {"x": [-0.5, 1], "y": [-0.5, 1.5]},
        "outputs": ["u", "v", "p"],
        "parameters": {"re": 20, "lambda": -1.8100981200139667},
        "equations": [
          {"name": "momentum-x", "residual": "u*u_x + v*u_y + p_x - (u_xx + u_yy)/re"},
          {"name": "momentum-y", "residual": "u*v_x + v*v_y + p_y - (v_xx + v_yy)/re"},
          {"name": "continuity", "residual": "u_x + v_y"}
        ],
        "conditions": [
          {"name": "walls", "on": ["x = -0.5", "x = 1", "y = -0.5", "y = 1.5"],
           "u": "1 - exp(lambda*x)*cos(2*pi*y)", "v": "lambda/(2*pi)*exp(lambda*x)*sin(2*pi*y)"},
          {"name": "outlet", "on": "x = 1", "p": "(1 - exp(2*lambda*x))/2"}
        ],
        "exact": {"u": "1 - exp(lambda*x)*cos(2*pi*y)", "v": "lambda/(2*pi)*exp(lambda*x)*sin(2*pi*y)",
                  "p": "(1 - exp(2*lambda*x))/2"}
      },
      "network": {"layers": [30, 30, 30, 30], "adaptive": "fixed", "slopeRecovery": false},
      "training": {"collocationPoints": 3000, "boundaryPoints": 400, "evaluateEvery": 100,
        "resampling": {"every": 250, "candidates": 50000},
        "phases": [{"optimizer": "ssbroyden", "iterations": 6000}]},
      "output": {"grid": {"x": 151, "y": 201}}
    }
    """)
}
