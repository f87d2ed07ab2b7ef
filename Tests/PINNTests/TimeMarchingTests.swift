import Foundation
import Testing
import PINN
import PINNNumerics
import PINNTestSupport

/// Time-marching (`training.timeWindows`, docs/design.md §13): [t₀, T] trained window by window, each from the
/// previous window's network with the previous solution at the seam as its initial condition, and evaluated
/// piecewise. Oracles: the heat equation's closed form, the previous network evaluated directly, the uninterrupted
/// run (resume), the grid (predict, export), and the model export's formula written out (`ModelFormula`).
@Suite struct TimeMarchingTests {
    /// The heat preset at a test size: u = e^{−0.4π²t}·sin(πx) on [0, 1]².
    static func heat(windows: Int?, iterations: Int = 300, resampling: Bool = false) throws -> JobSpec {
        try JobSpecParser.parse(Data("""
            {"problem": "heat", "network": {"layers": [16, 16]},
             "training": {\(windows.map { "\"timeWindows\": \($0)," } ?? "") "collocationPoints": 400,
                          "boundaryPoints": 80, "evaluateEvery": 100, "logEvery": 10, "threads": 1,
                          "resampling": \(resampling ? #"{"every": 10, "candidates": 2000}"# : "null"),
                          "phases": [{"optimizer": "adam", "iterations": 10, "learningRate": 0.003},
                                     {"optimizer": "ssbroyden", "iterations": \(iterations)}]},
             "output": {"grid": {"x": 21, "t": 31}}}
            """.utf8))
    }

    static func exactHeat(_ x: Double, _ t: Double) -> Double { exp(-0.4 * .pi * .pi * t) * sin(.pi * x) }

    // MARK: - The spec

    @Test func theSpecIsCheckedAndOneWindowIsNoWindows() throws {
        #expect(CausalWeightingTests.issues(#"{"problem": "heat", "training": {"timeWindows": 0}}"#).map(\.field)
                == ["training.timeWindows"])
        #expect(CausalWeightingTests.issues(#"{"problem": "heat", "training": {"timeWindows": 101}}"#).map(\.field)
                == ["training.timeWindows"])
        #expect(CausalWeightingTests.issues(#"{"problem": "heat", "training": {"timeWindows": "3"}}"#).map(\.field)
                == ["training.timeWindows"])
        let timeless = CausalWeightingTests.issues(#"{"problem": "poisson-1d", "training": {"timeWindows": 2}}"#)
        #expect(timeless.map(\.field) == ["training.timeWindows"])
        #expect(timeless.first?.message.contains("no input \"t\"") == true)
        let noInitial = CausalWeightingTests.issues(#"""
            {"problem": {"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"],
                         "equations": ["u_t - u_xx"], "conditions": [{"on": ["x = 0", "x = 1"], "u": "0"}]},
             "training": {"timeWindows": 2}}
            """#)
        #expect(noInitial.map(\.field) == ["training.timeWindows"])
        #expect(noInitial.first?.message.contains("no condition on the face t = 0") == true, "\(noInitial)")
        let final = CausalWeightingTests.issues(#"""
            {"problem": {"inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u"],
                         "equations": ["u_t - u_xx"], "conditions": [{"on": "t = 0", "u": "sin(pi*x)"},
                                                                     {"name": "end", "on": "t = 1", "u": "0"}]},
             "training": {"timeWindows": 2}}
            """#)
        #expect(final.map(\.field) == ["training.timeWindows"])
        #expect(final.first?.message.contains("\"end\"") == true, "\(final)")
        let inverse = CausalWeightingTests.issues(#"{"problem": "burgers-inverse", "training": {"timeWindows": 2}}"#)
        #expect(inverse.map(\.field) == ["training.timeWindows"], "\(inverse)")

        let three = try Self.heat(windows: 3)
        #expect(three.training.timeWindows == 3 && three.training.totalIterations == 3 * 310)
        #expect(try JSONDecoder().decode(JobSpec.self, from: JSONEncoder().encode(three)) == three)
        // One window is today's job: the same normalised spec, so the same run bit for bit.
        #expect(try Self.heat(windows: 1) == Self.heat(windows: nil))
    }

    // MARK: - Training

    @Test func theHeatEquationMatchesItsClosedFormInEveryWindow() throws {
        let spec = try Self.heat(windows: 3)
        final class Sink: @unchecked Sendable { var losses: [LossRecord] = []; var reports: [PhaseReport] = []; var plan: TrainingPlan? }
        let sink = Sink()
        let result = try Trainer.run(spec, observer: {
            switch $0 {
            case .loss(let record): sink.losses.append(record)
            case .phaseFinished(let report): sink.reports.append(report)
            case .started(let plan): sink.plan = plan
            default: break
            }
        })
        #expect(result.status == .succeeded)
        // One continuous history: phases counted across windows, each record naming its window.
        #expect(sink.plan?.windows == 3 && sink.plan?.totalIterations == 930)
        #expect(sink.reports.map(\.phase) == [0, 1, 2, 3, 4, 5])
        #expect(sink.reports.map(\.window) == [0, 0, 1, 1, 2, 2])
        #expect(zip(sink.losses, sink.losses.dropFirst()).allSatisfy { $0.iteration <= $1.iteration })
        #expect(Set(sink.losses.compactMap(\.window)) == [0, 1, 2])
        #expect(result.parameters.count == 3 * ParameterLayout(spec.architecture).count)

        let grid = try TrainedSolution(spec: spec, parameters: result.parameters).onGrid()
        let u = try #require(grid.column(.value, output: 0))
        for window in 0..<3 {
            let (start, end) = (Double(window) / 3, Double(window + 1) / 3)
            var error = 0.0, norm = 0.0
            for i in 0..<grid.grid.count {
                let (t, x) = (grid.grid.points[2 * i + 1], grid.grid.points[2 * i])
                guard t >= start && (t < end || window == 2) else { continue }
                let exact = Self.exactHeat(x, t)
                error += (u[i] - exact) * (u[i] - exact)
                norm += exact * exact
            }
            #expect((error / norm).squareRoot() < 2e-3, "window \(window): relative L2 \((error / norm).squareRoot())")
        }
        #expect(try #require(result.relativeL2) < 1e-3)
    }

    @Test func aLaterWindowsInitialConditionIsThePreviousNetworkAtTheSeam() throws {
        for preset in ["heat", "wave-1d"] {
            let spec = try JobSpecParser.parse(Data(#"{"problem": "\#(preset)", "training": {"timeWindows": 4}}"#.utf8))
            let problem = try ProblemBuilder.make(spec)
            let windows = try #require(TimeWindows(problem: problem, count: 4))
            let window0 = problem.window(0, of: windows), window1 = problem.window(1, of: windows)
            var generator = SeededGenerator(seed: 7)
            let previous = Network<Double>(architecture: spec.architecture, lower: window0.lower, upper: window0.upper,
                                           generator: &generator)
            let points = TrainingPoints(problem: window1, interiorCount: 50, faceCount: 30, method: .lhs,
                                        generator: &generator)
            let seamed = window1.seamed(previous: previous, points: points)
            let k = try #require(problem.initialTerms.first)
            let seam = try #require(seamed.terms[k].residual as? SeamResidual)
            // Second order in time: the seam carries u and u_t, as the initial face does.
            #expect(seam.derivatives == (preset == "heat" ? [[]] : [[], [1]]))
            let seamPoints = points.perTerm[k]
            #expect(stride(from: 1, to: seamPoints.count, by: 2).allSatisfy { seamPoints[$0] == windows.bound(1) })
            let values = previous.evaluate(seamPoints, derivatives: seam.derivatives)
            for i in 0..<(seamPoints.count / 2) {
                for s in seam.derivatives.indices {
                    #expect(seam.targets[i * seam.derivatives.count + s] == values[s][i])
                }
            }
            // The window starts from the previous network as the same function on its own box: the seam term is ~0.
            let start = previous.continued(onto: window1.lower, window1.upper)
            let moved = start.evaluate(seamPoints, derivatives: seam.derivatives)
            for s in seam.derivatives.indices {
                #expect(zip(moved[s], values[s]).allSatisfy { abs($0 - $1) < 1e-12 * max(1, abs($1)) })
            }
        }
    }

    /// Cancelled in the first window, and in the second (after the seam, with RAD's points moving): the resumed run
    /// ends bit for bit where the uninterrupted one did.
    @Test(arguments: [5, 29, 57])
    func aCancelledRunResumesBitForBitAcrossWindows(stopAfter: Int) throws {
        let spec = try Self.heat(windows: 3, iterations: 15, resampling: true)
        let (checkpoint, _) = try QuasiNewtonTrainingTests.expectBitIdenticalResume(spec, stopAfter: stopAfter)
        let window = checkpoint.iteration / 25
        #expect(checkpoint.window == window)
        #expect((checkpoint.finishedWindows?.count ?? 0) == window)
    }

    // MARK: - Evaluation

    /// Three windows with different networks: the grid, `/predict` and the export's formula agree point for point,
    /// and a seam belongs to the later window.
    @Test func predictAndTheExportAreTheGridPiecewise() throws {
        let spec = try Self.heat(windows: 3)
        let count = ParameterLayout(spec.architecture).count
        var generator = SeededGenerator(seed: 3)
        let parameters = (0..<(3 * count)).map { _ in Double.random(in: -1...1, using: &generator) }
        let trained = try TrainedSolution(spec: spec, parameters: parameters)
        #expect(trained.solution.networks.count == 3)
        let grid = trained.onGrid()
        let prediction = try trained.predict(points: grid.grid.points, derivatives: [], residuals: false)
        #expect(prediction.fields[0].values == grid.values, "predict and the grid evaluate each point by the same network")
        let model = trained.model
        #expect(model.format == "pinn-model/2" && model.seams?.count == 2 && model.windows?.count == 3)
        for i in 0..<grid.grid.count {
            let formula = ModelFormula.evaluate(model, Array(grid.grid.points[(2 * i)..<(2 * i + 2)]))[0]
            #expect(abs(formula - grid.values[i]) < 1e-12)
        }
        // At the seam t₁ = 1/3 the value is window 1's network; just before it, window 0's.
        let seam = try #require(model.seams?.first)
        let networks = trained.solution.networks
        #expect(trained.solution.evaluate([0.3, seam]) == networks[1].evaluate([0.3, seam]))
        #expect(trained.solution.evaluate([0.3, seam.nextDown]) == networks[0].evaluate([0.3, seam.nextDown]))
        #expect(trained.solution.evaluate([0.3, 1]) == networks[2].evaluate([0.3, 1]))
        // The residual at a point is that of its window's network: u_t − k·u_xx from the predicted derivatives.
        let check = try trained.predict(points: [0.3, seam, 0.6, 0.9], derivatives: ["u_t", "u_xx"], residuals: true)
        let pde = try #require(check.residuals.first { $0.name == "pde" })
        for i in 0..<2 {
            let expected = check.fields[1].values[i] - 0.4 * check.fields[2].values[i]
            #expect(abs(pde.values[i] - expected) < 1e-10 * max(1, abs(expected)))
        }
        // A running job's first windows only: later times take the last one given.
        let running = try TrainedSolution(spec: spec, parameters: Array(parameters[..<(2 * count)]), final: false)
        #expect(running.solution.evaluate([0.3, 0.9]) == networks[1].evaluate([0.3, 0.9]))
        #expect(throws: JobSpecError.self) { try TrainedSolution(spec: spec, parameters: Array(parameters[..<(count + 1)])) }
    }

    @Test func theONNXGraphSelectsEachPointsWindow() throws {
        let spec = try Self.heat(windows: 3)
        let count = ParameterLayout(spec.architecture).count
        let trained = try TrainedSolution(spec: spec, parameters: (0..<(3 * count)).map { Double($0 % 17) / 17 - 0.5 })
        let graph = try DecodedONNX(trained.model.onnx.serialized())
        #expect(graph.nodes.filter { $0.opType == "Where" }.count == 2)
        #expect(graph.nodes.filter { $0.opType == "Less" }.count == 2)
        #expect(graph.nodes.last?.outputs == ["outputs"])
        #expect(Set(graph.initializers.map(\.name)).isSuperset(of: ["window0_layer1_weight", "window2_output_bias", "seam1"]))
    }
}
