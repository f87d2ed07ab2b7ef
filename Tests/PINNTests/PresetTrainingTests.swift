import Foundation
import Testing
import PINN

/// Every preset trains: each runs here in a reduced configuration (smaller network, fewer points and
/// iterations: the full-size results are in docs/problems.md) and must reach its error threshold against its
/// exact solution. Thresholds are about 3× the error measured on this machine, so they catch a broken
/// problem or engine without failing on another machine's rounding.
@Suite struct PresetTrainingTests {
    struct Case: Sendable, CustomStringConvertible {
        let preset: String
        let layers: [Int]
        let interior: Int
        let boundary: Int
        let adam: Int
        let lbfgs: Int
        var parameters: [String: Double] = [:]
        /// Term weights replacing the preset's (tuned for its own schedule, not the classic one these runs keep).
        var weights: [String: Double]? = nil
        let threshold: Double
        var description: String { preset }
    }

    static func reduced(_ c: Case) -> JobSpec {
        var spec = ProblemPresets.spec(named: c.preset)!
        spec.network.layers = c.layers
        spec.training.collocationPoints = c.interior
        spec.training.boundaryPoints = c.boundary
        // The reduced runs keep the classic schedule whatever the preset's own (some train by SSBroyden now, see
        // docs/problems.md): N-LAAF, Adam with slope recovery, then L-BFGS with the slopes frozen.
        spec.network.adaptive = .neuron
        spec.network.scale = 10
        spec.network.slopeRecovery = true
        spec.training.resampling = nil
        var adam = JobSpec.PhaseSpec.defaults(.adam, iterations: c.adam)
        adam.learningRate = 2e-3
        var lbfgs = JobSpec.PhaseSpec.defaults(.lbfgs, iterations: c.lbfgs)
        lbfgs.trainSlopes = false
        spec.training.phases = [adam, lbfgs]
        spec.training.logEvery = 100
        spec.training.evaluateEvery = 0
        spec.training.threads = 1
        for (name, value) in c.parameters { spec.problem.parameters[name] = .constant(value) }
        if let weights = c.weights { spec.training.weights = weights }
        return spec
    }

    /// Measured here (1 thread): heat 2.2e-3, diffusion-source 3.7e-3, poisson-1d 1.2e-5, poisson-2d 1.5e-3,
    /// helmholtz-2d (k₀ = 2π) 9.2e-3, wave-1d 2.9e-2, klein-gordon 6.7e-3.
    static let cases: [Case] = [
        Case(preset: "heat", layers: [16, 16], interior: 500, boundary: 100, adam: 500, lbfgs: 500, threshold: 1e-2),
        Case(preset: "diffusion-source", layers: [16, 16], interior: 500, boundary: 100, adam: 500, lbfgs: 500, threshold: 1e-2),
        Case(preset: "poisson-1d", layers: [16, 16], interior: 128, boundary: 2, adam: 500, lbfgs: 500, threshold: 1e-4),
        Case(preset: "poisson-2d", layers: [20, 20, 20], interior: 500, boundary: 200, adam: 1000, lbfgs: 1500, threshold: 5e-3),
        // k₀ = 2π (one full wave per side) instead of 4π keeps the test small; docs/problems.md has k₀ = 4π.
        Case(preset: "helmholtz-2d", layers: [24, 24], interior: 800, boundary: 200, adam: 1000, lbfgs: 500,
             parameters: ["k0": 2 * Double.pi], threshold: 3e-2),
        // Under Adam + L-BFGS the wave needs its data weighted 100 (the preset's SSBroyden recipe weighs them 10).
        Case(preset: "wave-1d", layers: [20, 20, 20], interior: 800, boundary: 200, adam: 1000, lbfgs: 1000,
             weights: ["initial": 100, "boundary": 100], threshold: 0.1),
        Case(preset: "klein-gordon", layers: [20, 20], interior: 800, boundary: 200, adam: 1000, lbfgs: 1000, threshold: 2e-2),
    ]

    @Test(arguments: cases)
    func presetReachesItsExactSolution(_ c: Case) throws {
        let result = try Trainer.run(Self.reduced(c))
        let error = try #require(result.relativeL2)
        print("\(c.preset): relative L2 \(error) after \(result.phases.map(\.iterations)) iterations in \(result.wallSeconds) s")
        #expect(result.status == .succeeded)
        #expect(error < c.threshold)
    }

    /// Allen–Cahn: the initial term (it starts near 0.13) must be met and the periodic (near 2e-3) and PDE (near
    /// 1e-2) terms kept small. This reduced run does not solve the problem (relative L2 0.6–0.99 against the
    /// spectral reference), so its error is reported but not bounded, and where it ends is seed- and
    /// rounding-dependent: over seeds 1–7 and two builds that round differently the initial term ended at
    /// 5e-6–7e-4, the periodic term at 3e-5–8e-2 and the PDE term at 3e-3–0.7 (2026-12-03). The bounds hold at
    /// this seed with margin: periodic 1.2e-3 and PDE 9.6e-3.
    @Test func allenCahnMeetsItsInitialAndPeriodicConditions() throws {
        let spec = Self.reduced(Case(preset: "allen-cahn", layers: [20, 20, 20], interior: 1000, boundary: 200,
                                     adam: 1000, lbfgs: 1000, threshold: 0))
        var first: LossRecord?
        let result = try Trainer.run(spec) { if case .loss(let r) = $0, first == nil { first = r } }
        let start = try #require(first)
        let terms = Dictionary(uniqueKeysWithValues: zip(spec.termNames, result.finalLoss.terms))
        print("allen-cahn: final terms \(terms), first \(start.terms), relative L2 \(result.relativeL2 ?? .nan)")
        #expect(result.relativeL2?.isFinite == true)
        #expect(terms["initial"]! < 1e-3)
        #expect(terms["periodic"] == nil, "periodic in x by its input features, so not a loss term")
        #expect(terms["pde"]! < 2e-2)
    }

    /// Raissi et al.'s inverse problem: ν starts about 16× too large and is learned from 2,000 noiseless samples.
    /// Measured here: ν within 1.6% after 1,000 Adam + 2,000 L-BFGS iterations (27 s).
    @Test func theInverseBurgersPresetRecoversTheViscosity() throws {
        var spec = ProblemPresets.spec(named: "burgers-inverse")!
        spec.network.layers = [20, 20, 20, 20, 20]
        spec.training.collocationPoints = 2000
        spec.training.phases[0].iterations = 1000
        spec.training.phases[1].iterations = 2000
        spec.training.logEvery = 100
        spec.training.evaluateEvery = 0
        spec.training.threads = 1
        var learned: [Double] = []
        let result = try Trainer.run(spec) { if case .loss(let r) = $0, let nu = r.learned?["nu"] { learned.append(nu) } }
        let nu = try #require(result.learned["nu"])
        let truth = 0.01 / Double.pi
        print("burgers-inverse: ν = \(nu) (true \(truth), error \(abs(nu - truth) / truth)); history \(learned.prefix(3))…")
        #expect(learned.first == 0.05)
        #expect(abs(nu - truth) / truth < 0.05)
    }
}
