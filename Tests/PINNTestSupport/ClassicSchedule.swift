import PINN

extension JobSpec {
    /// The `burgers` preset made small for tests (12×12×12, 600 interior and 60 boundary points, every iteration
    /// logged), trained by the seed paper's classic schedule: an adaptive network (n = 10) with slope recovery,
    /// Adam, then L-BFGS with the slopes frozen; no loss weights, no resampling.
    public static func smallClassicBurgers(adam: Int, lbfgs: Int, adaptive: AdaptiveMode = .neuron,
                                           threads: Int = 1) -> JobSpec {
        var spec = ProblemPresets.spec(named: "burgers")!
        spec.network.layers = [12, 12, 12]
        spec.network.adaptive = adaptive
        spec.network.scale = 10
        spec.network.slopeRecovery = true
        spec.training.collocationPoints = 600
        spec.training.boundaryPoints = 60
        spec.training.threads = threads
        spec.training.logEvery = 1
        spec.training.weights = [:]
        spec.training.resampling = nil
        var frozen = JobSpec.PhaseSpec.defaults(.lbfgs, iterations: lbfgs)
        frozen.trainSlopes = false
        spec.training.phases = [.defaults(.adam, iterations: adam), frozen]
        return spec
    }
}
