import Foundation
import Testing
import PINN
import PINNService

@Suite struct SolutionOnGridTests {
    static func solution(nx: Int = 5, nt: Int = 3) throws -> SolutionOnGrid {
        let spec = ProblemPresets.spec(named: "burgers")!
        var generator = SeededGenerator(seed: 1)
        let problem = try ProblemBuilder.make(spec)
        let network = Network<Double>(architecture: NetworkArchitecture(inputs: 2, outputs: 1, hidden: spec.network.layers,
                                                                        adaptive: spec.network.adaptive, scale: spec.network.scale),
                                      lower: problem.lower, upper: problem.upper, generator: &generator)
        return try SolutionOnGrid(spec: spec, parameters: network.parameters, sizes: ["x": nx, "t": nt])
    }

    @Test func jsonNestsUByTimeThenSpaceOverInclusiveAxes() throws {
        struct Grid: Decodable { let axes: [String]; let x: [Double]; let t: [Double]; let u: [[Double]]; let exact: [[Double]] }
        let s = try Self.solution()
        let grid = try JSONDecoder().decode(Grid.self, from: s.json())   // JSONDecoder: exact round trip
        #expect(grid.axes == ["t", "x"])
        #expect(grid.x == [-1, -0.5, 0, 0.5, 1])
        #expect(grid.t == [0, 0.5, 1])
        #expect(grid.u.count == 3 && grid.u.allSatisfy { $0.count == 5 })
        #expect(grid.u[2][4] == s.values[14])
        #expect(abs(grid.exact[0][1] - 1) < 1e-15)   // u(−0.5, 0) = −sin(−π/2) = 1
    }

    @Test func npyHasTheNumPyHeaderAndFloat64Data() throws {
        let s = try Self.solution()
        let data = s.npy()
        #expect(Array(data.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': '<f8'") && header.contains("'shape': (3, 5)") && header.hasSuffix("\n"))
        #expect(data.count == 10 + headerLength + 15 * 8)
        let first = data[(10 + headerLength)...].prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(Double(bitPattern: UInt64(littleEndian: first)) == s.values[0])
    }

    @Test func csvHasTheAxesTheOutputAndTheError() throws {
        let lines = String(decoding: try Self.solution().csv(), as: UTF8.self).split(separator: "\n")
        #expect(lines[0] == "t,x,u,exact,error")
        #expect(lines.count == 16)
        #expect(lines[1].hasPrefix("0.0,-1.0,"))
    }
}
