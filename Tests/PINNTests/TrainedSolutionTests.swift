import Foundation
import Testing
import PINN
import PINNNumerics
import PINNTestSupport

/// `TrainedSolution` and `SolutionOnGrid`: the one place a job's network is evaluated after training. Oracles:
/// the exact solutions' closed forms, central finite differences, the PDE written out by hand, and the model
/// export's documented formula evaluated independently of the engine's kernels.
@Suite struct TrainedSolutionTests {
    /// A job's network with Glorot-initialised parameters (what matters here is evaluation, not training).
    static func trained(_ spec: JobSpec, seed: UInt64 = 1) throws -> TrainedSolution {
        let problem = try ProblemBuilder.make(spec)
        var generator = SeededGenerator(seed: seed)
        let network = Network<Double>(architecture: spec.architecture, lower: problem.lower, upper: problem.upper,
                                      generator: &generator)
        var parameters = network.parameters
        // Move the slopes off 1/n so that they matter.
        for i in network.layout.slopes { parameters[i] *= 1 + 0.1 * Double(i % 7) }
        return try TrainedSolution(spec: spec, parameters: parameters + problem.learned.map(\.initial))
    }

    /// Without the preset's periodic features, so that `ModelFormula` (inputs scaled to [−1, 1]) applies; the features'
    /// export is tested in `InputFeatureTests`.
    static func burgers(adaptive: String = "neuron", activation: String = "tanh") throws -> JobSpec {
        try JobSpecParser.parse(Data("""
            {"problem": "burgers", "network": {"layers": [8, 8], "adaptive": "\(adaptive)", "activation": "\(activation)", "scale": 5, "periodic": {}}}
            """.utf8))
    }

    /// Two outputs with closed-form exact solutions: u = e^{−π²t/2} sin πx, v = 2 e^{−π²t/2} cos πx.
    static let system = """
        {"problem": {"name": "pair", "inputs": ["x", "t"], "domain": {"x": [0, 1], "t": [0, 1]}, "outputs": ["u", "v"],
          "equations": ["u_t - 0.5*u_xx", "v_t - 0.5*v_xx"],
          "conditions": [{"name": "initial", "on": "t = 0", "u": "sin(pi*x)", "v": "2*cos(pi*x)"}],
          "exact": {"u": "exp(-pi^2*t/2)*sin(pi*x)", "v": "2*exp(-pi^2*t/2)*cos(pi*x)"}},
         "network": {"layers": [6, 6]}, "output": {"grid": {"x": 4, "t": 3}}}
        """

    @Test func jsonNestsEveryOutputByTimeThenSpaceWithItsExactSolutionAndError() throws {
        struct Grid: Decodable {
            let axes: [String]; let outputs: [String]; let x: [Double]; let t: [Double]; let u: [[Double]]; let v: [[Double]]
            let exact: [String: [[Double]]]; let error: [String: [[Double]]]; let relativeL2: Double
        }
        let s = try Self.trained(try JobSpecParser.parse(Data(Self.system.utf8))).onGrid()
        let grid = try JSONDecoder().decode(Grid.self, from: s.json())
        #expect(grid.axes == ["t", "x"] && grid.outputs == ["u", "v"])
        #expect(grid.x == [0, 1.0 / 3, 2.0 / 3, 1] && grid.t == [0, 0.5, 1])
        #expect(grid.u.count == 3 && grid.u.allSatisfy { $0.count == 4 })
        #expect(grid.v[2][3] == s.values[2 * 4 * 2 + 3 * 2 + 1])
        for (i, t) in grid.t.enumerated() {
            for (j, x) in grid.x.enumerated() {
                #expect(abs(grid.exact["u"]![i][j] - exp(-Double.pi * Double.pi * t / 2) * sin(Double.pi * x)) < 1e-14)
                #expect(abs(grid.exact["v"]![i][j] - 2 * exp(-Double.pi * Double.pi * t / 2) * cos(Double.pi * x)) < 1e-14)
                #expect(grid.error["v"]![i][j] == grid.v[i][j] - grid.exact["v"]![i][j])
            }
        }
        #expect(grid.relativeL2 == s.relativeL2)
    }

    @Test func csvCarriesEveryOutputsExactSolutionAndError() throws {
        let s = try Self.trained(try JobSpecParser.parse(Data(Self.system.utf8))).onGrid()
        let lines = String(decoding: s.csv(), as: UTF8.self).split(separator: "\n")
        #expect(lines[0] == "t,x,u,v,exact_u,exact_v,error_u,error_v")
        #expect(lines.count == 13)
        let last = lines[12].split(separator: ",").map { Double($0)! }
        #expect(last[0] == 1 && last[1] == 1)
        #expect(last[3] == s.values[23] && abs(last[5] - 2 * exp(-Double.pi * Double.pi / 2) * cos(Double.pi)) < 1e-14)
        #expect(last[7] == last[3] - last[5])
    }

    @Test func errorRecordsMatchTheirDefinitionsPerOutput() throws {
        let s = try Self.trained(try JobSpecParser.parse(Data(Self.system.utf8))).onGrid(sizes: ["x": 9, "t": 7])
        let record = try #require(s.error(iteration: 5, phase: 1))
        var total = (error: 0.0, norm: 0.0)
        for (o, name) in ["u", "v"].enumerated() {
            let u = s.column(.value, output: o)!, exact = s.column(.exact, output: o)!
            let error = zip(u, exact).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            let norm = exact.map { $0 * $0 }.reduce(0, +)
            total = (total.error + error, total.norm + norm)
            #expect(abs(record.outputs[name]!.relativeL2 - (error / norm).squareRoot()) < 1e-14)
            #expect(record.outputs[name]!.maxAbsError == zip(u, exact).map { abs($0 - $1) }.max()!)
        }
        #expect(abs(record.relativeL2 - (total.error / total.norm).squareRoot()) < 1e-14)
    }

    @Test func npyHoldsTheValuesOrTheExactSolutionAsFloat64() throws {
        let s = try Self.trained(try Self.burgers()).onGrid(sizes: ["x": 5, "t": 3])
        for quantity in [SolutionOnGrid.Quantity.value, .exact, .error] {
            let data = try #require(s.npy(quantity))
            #expect(Array(data.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
            let headerLength = Int(data[8]) | Int(data[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
            #expect(header.contains("'descr': '<f8'") && header.contains("'shape': (3, 5)") && header.hasSuffix("\n"))
            #expect(data.count == 10 + headerLength + 15 * 8)
            let last = data.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(Double(bitPattern: UInt64(littleEndian: last)) == s.column(quantity, output: 0)![14])
        }
    }

    @Test func nonFiniteValuesAreNullInJSONAndInfInCSV() throws {
        // The exact solution 1/x is infinite on the face x = 0 of the grid: every format must still encode.
        let spec = try JobSpecParser.parse(Data("""
            {"problem": {"name": "pole", "inputs": ["x"], "domain": {"x": [0, 1]}, "outputs": ["u"],
              "equations": ["u_x + 1/x^2"], "conditions": [{"name": "right", "on": "x = 1", "u": "1"}],
              "exact": {"u": "1/x"}}, "network": {"layers": [4]}, "output": {"grid": {"x": 3}}}
            """.utf8))
        let s = try Self.trained(spec).onGrid()
        let json = try #require(try JSONSerialization.jsonObject(with: s.json()) as? [String: Any])
        let exact = try #require((json["exact"] as? [String: Any])?["u"] as? [Any])
        #expect(exact[0] is NSNull && (exact[2] as? Double) == 1)
        let csv = String(decoding: s.csv(), as: UTF8.self).split(separator: "\n")
        #expect(csv[1].hasPrefix("0.0,") && csv[1].contains(",inf,") && csv[1].hasSuffix(",-inf"))
    }

    @Test(arguments: [("neuron", "tanh"), ("layer", "sin"), ("fixed", "tanh"), ("global", "sin")])
    func derivativesAgreeWithFiniteDifferencesAndTheResidualWithTheEquation(adaptive: String, activation: String) throws {
        let trained = try Self.trained(try Self.burgers(adaptive: adaptive, activation: activation))
        let points: [Double] = [0.3, 0.2, -0.7, 0.9, 0.05, 0.5]   // (x, t) pairs
        let p = try trained.predict(points: points, derivatives: ["u_x", "u_t", "u_xx", "u_tx"], residuals: true)
        let fields = Dictionary(uniqueKeysWithValues: p.fields)
        let h = 1e-4
        func u(_ x: Double, _ t: Double) -> Double { trained.network.evaluate([x, t])[0] }
        for i in 0..<3 {
            let (x, t) = (points[2 * i], points[2 * i + 1])
            // The same network by two paths: /predict's blocked GEMMs and one point's matrix–vector products round
            // differently (by OpenBLAS kernel, which depends on the machine's instruction set): a few ulps apart.
            #expect(abs(fields["u"]![i] - u(x, t)) <= 8 * Double.ulpOfOne * max(1, abs(u(x, t))))
            #expect(abs(fields["u_x"]![i] - (u(x + h, t) - u(x - h, t)) / (2 * h)) < 1e-6)
            #expect(abs(fields["u_t"]![i] - (u(x, t + h) - u(x, t - h)) / (2 * h)) < 1e-6)
            #expect(abs(fields["u_xx"]![i] - (u(x + h, t) - 2 * u(x, t) + u(x - h, t)) / (h * h)) < 1e-4)
            let mixed = (u(x + h, t + h) - u(x + h, t - h) - u(x - h, t + h) + u(x - h, t - h)) / (4 * h * h)
            #expect(abs(fields["u_tx"]![i] - mixed) < 1e-4)
            // Burgers: u_t + u·u_x − (0.01/π)·u_xx
            let residual = fields["u_t"]![i] + fields["u"]![i] * fields["u_x"]![i] - 0.01 / Double.pi * fields["u_xx"]![i]
            #expect(abs(p.residuals[0].values[i] - residual) < 1e-12)
        }
        #expect(p.residuals.map(\.name) == ["pde"])
    }

    @Test func unknownDerivativesAreRejectedNamingTheEntry() throws {
        let trained = try Self.trained(try Self.burgers())
        #expect(throws: JobSpecError.self) { try trained.predict(points: [0, 0], derivatives: ["u_x", "u_q"], residuals: false) }
        do { _ = try trained.predict(points: [0, 0], derivatives: ["u_x", "w_x"], residuals: false) } catch {
            #expect(error.issues.map(\.field) == ["derivatives[1]"])
        }
    }

    @Test(arguments: [("neuron", "tanh"), ("layer", "sin"), ("fixed", "tanh")])
    func theModelExportEvaluatedByItsFormulaAgreesWithTheEngine(adaptive: String, activation: String) throws {
        let trained = try Self.trained(try Self.burgers(adaptive: adaptive, activation: activation))
        let model = try JSONDecoder().decode(ModelExport.self, from: JSONEncoder().encode(trained.model))
        #expect(model.inputs == ["x", "t"] && model.layers.count == 3 && model.layers[2].slopes == nil)
        let grid = trained.onGrid(sizes: ["x": 7, "t": 5])
        for i in 0..<grid.grid.count {
            let point = Array(grid.grid.points[(2 * i)..<(2 * i + 2)])
            #expect(abs(ModelFormula.evaluate(model, point)[0] - grid.values[i]) < 1e-12)
        }
    }

    @Test func storedParametersThatDoNotFitTheSpecAreRejected() throws {
        #expect(throws: JobSpecError.self) { try TrainedSolution(spec: try Self.burgers(), parameters: [1, 2, 3]) }
    }
}

@Suite struct HistoryCSVTests {
    @Test func rowsReadBackToTheRecordsExactly() {
        let loss = LossRecord(iteration: 7, phase: 1, total: 0.1 + 0.2, terms: [1e-300, .nan], slopeRecovery: 0.5,
                              seconds: 1.0 / 3, learned: ["nu": 0.003])
        #expect(HistoryCSV.lossHeader(termNames: ["pde", "initial"], learned: ["nu"])
                == "iteration,phase,total,pde,initial,slopeRecovery,seconds,nu")
        let fields = HistoryCSV.lossRow(loss, learned: ["nu"]).split(separator: ",")
        #expect(fields.count == 8 && Double(fields[2]) == 0.1 + 0.2 && Double(fields[3]) == 1e-300 && fields[4] == "nan")
        #expect(Double(fields[6]) == 1.0 / 3 && Double(fields[7]) == 0.003)
        let error = ErrorRecord(iteration: 9, phase: 0, relativeL2: 0.25,
                                outputs: ["u": ErrorRecord.OutputError(relativeL2: 0.25, maxAbsError: .infinity)])
        #expect(HistoryCSV.errors([error], outputs: ["u"])
                == "iteration,phase,relativeL2,u_relativeL2,u_maxAbsError\n9,0,0.25,0.25,inf\n")
        let slopes = SlopeRecord(iteration: 3, phase: 0, slopes: [0.1, 0.2], layerMeans: [1.5])
        #expect(HistoryCSV.slopes([slopes]) == "iteration,phase,layer1_na,a0,a1\n3,0,1.5,0.1,0.2\n")
    }
}
