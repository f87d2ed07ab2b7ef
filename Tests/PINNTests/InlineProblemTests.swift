import Foundation
import Testing
import PINN

/// Problems written inline with nothing but the problem (config/inline/: three inputs, periodic, third order, a
/// system of two fields) train on the inline default (`InlineRecipe`: fixed tanh, SSBroyden, RAD), here cut down to
/// test size — fewer points and iterations, no resampling, one thread — and must reach 1e-4 relative L2 against
/// their closed forms. Measured here (2026-12-07): airy 1.1e-7, wave-system 1.3e-5, advection-periodic 6.8e-6,
/// heat-2d 3.2e-5 (the four in ~60 s on two cores). Full-size figures: docs/problems.md.
@Suite struct InlineProblemTests {
    static func spec(_ name: String) throws -> JobSpec {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let data = try Data(contentsOf: root.appendingPathComponent("config/inline/\(name).json"))
        #expect(!String(decoding: data, as: UTF8.self).contains("\"network\""), "nothing but the problem")
        return try JobSpecParser.parse(data)
    }

    @Test(arguments: [("airy", 800), ("wave-system", 2500), ("advection-periodic", 800), ("heat-2d", 2000)])
    func anInlineProblemReachesItsClosedForm(name: String, iterations: Int) throws {
        var spec = try Self.spec(name)
        #expect(spec.network.adaptive == .fixed && spec.training.phases.map(\.optimizer) == [.ssbroyden])
        spec.network.layers = Array(spec.network.layers.prefix(3))
        spec.training.collocationPoints = 400 * spec.problem.inputs.count
        spec.training.boundaryPoints = 80
        spec.training.phases[0].iterations = iterations
        spec.training.resampling = nil
        spec.training.threads = 1
        spec.training.evaluateEvery = 0
        spec.output.grid = spec.output.grid.mapValues { min($0, 33) }
        let result = try Trainer.run(spec)
        let error = try #require(result.relativeL2)
        print("\(name): relative L2 \(error) after \(result.phases.map(\.iterations)) iterations in \(result.wallSeconds) s")
        #expect(result.status == .succeeded)
        #expect(error <= 1e-4)
    }
}
