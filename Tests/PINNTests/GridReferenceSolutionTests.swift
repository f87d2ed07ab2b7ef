import Foundation
import PINN
import Testing

/// Interpolation on a periodic × time grid, against data whose interpolant is known: f is cubic in t (reproduced
/// exactly by the cubic weights) and a trigonometric polynomial of period 4 in x, which the degree-7 weights on
/// 256 nodes (h = 1/64) reproduce to h⁸ max|∂⁸f| max|Π(σ − l)| / 8! ≤ (π/64)⁸ · 43 / 40320 ≈ 4e−14.
@Suite struct GridReferenceSolutionTests {
    static func f(_ x: Double, _ t: Double) -> Double {
        sin(Double.pi * x / 2) * (1 + t - 2 * t * t + t * t * t) + 0.5 * cos(Double.pi * x) * (2 - t)
    }

    /// x ∈ [0, 4) periodic with 256 nodes, t ∈ [1, 3] with 11 times.
    static let grid: GridReferenceSolution = {
        let nodes = 256, times = 11
        var values: [Double] = []
        for i in 0..<times {
            for n in 0..<nodes {
                values.append(GridReferenceSolutionTests.f(4 * Double(n) / Double(nodes), 1 + 2 * Double(i) / Double(times - 1)))
            }
        }
        return GridReferenceSolution(x: 0...4, nodes: nodes, t: 1...3, times: times, values: values)
    }()

    /// Points spread over the box by the golden-ratio sequence, plus the corners and the seam x = 0 ≡ 4.
    static let points: [(x: Double, t: Double)] = {
        var points: [(x: Double, t: Double)] = [(0, 1), (4, 3), (1e-3, 1.0001), (3.999, 2.9999), (0.01, 2.05)]
        for k in 1...500 {
            let a = (Double(k) * 0.6180339887498949).truncatingRemainder(dividingBy: 1)
            let b = (Double(k) * 0.7548776662466927).truncatingRemainder(dividingBy: 1)
            points.append((x: 4 * a, t: 1 + 2 * b))
        }
        return points
    }()

    @Test func atTheNodesAndTimesItReturnsTheStoredValues() {
        let grid = Self.grid
        for i in 0..<grid.times {
            let t = 1 + 2 * Double(i) / Double(grid.times - 1)
            for n in 0..<grid.nodes {
                let x = 4 * Double(n) / Double(grid.nodes)
                let stored = grid.values[i * grid.nodes + n]
                #expect(grid.value(x: x, t: t) == stored)
                // Coordinates rounded differently (a few ulps off) still count as the node.
                #expect(grid.value(x: x + 1e-14, t: t * (1 + 1e-15)) == stored)
            }
            // x = 4 is x = 0 again.
            #expect(grid.value(x: 4, t: t) == grid.values[i * grid.nodes])
        }
    }

    @Test func betweenNodesItReproducesSmoothPeriodicDataAndCubicTime() {
        for (x, t) in Self.points {
            let error = abs(Self.grid.value(x: x, t: t) - Self.f(x, t))
            #expect(error <= 1e-12, "error \(error) at x = \(x), t = \(t)")
        }
    }

    @Test func xIsTakenModuloThePeriod() {
        for (x, t) in Self.points.prefix(50) {
            let u = Self.grid.value(x: x, t: t)
            #expect(abs(Self.grid.value(x: x + 4, t: t) - u) <= 1e-12)
            #expect(abs(Self.grid.value(x: x - 4, t: t) - u) <= 1e-12)
        }
    }

    @Test func valuesAtPointsAreThePointwiseValues() {
        let flat = Self.points.flatMap { [$0.x, $0.t] }
        #expect(Self.grid.values(at: flat) == Self.points.map { Self.grid.value(x: $0.x, t: $0.t) })
    }

    @Test func theBytesAreFloat64LittleEndianTMajor() throws {
        let grid = Self.grid
        var data = Data()
        for value in grid.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        let read = try #require(GridReferenceSolution(float64LittleEndian: data, x: 0...4, nodes: 256, t: 1...3, times: 11))
        #expect(read.values == grid.values)
        // A byte count that is not 8 · nodes · times is refused.
        #expect(GridReferenceSolution(float64LittleEndian: data.dropLast(8), x: 0...4, nodes: 256, t: 1...3, times: 11)?.values == nil)
        #expect(GridReferenceSolution(float64LittleEndian: data, x: 0...4, nodes: 255, t: 1...3, times: 11)?.values == nil)
    }
}
