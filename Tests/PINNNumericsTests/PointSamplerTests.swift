import Testing
import PINNNumerics

@Suite struct PointSamplerTests {
    @Test(arguments: SamplingMethod.allCases)
    func pointsFillTheUnitCubeAndDependOnlyOnTheSeed(method: SamplingMethod) {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let p = PointSampler.sample(method, count: 500, dimensions: 3, generator: &a)
        #expect(p.count == 1500)
        #expect(p.allSatisfy { (0..<1).contains($0) })
        #expect(p == PointSampler.sample(method, count: 500, dimensions: 3, generator: &b))
        #expect(p != PointSampler.sample(method, count: 500, dimensions: 3, generator: &c))
        // Every method covers each axis: the mean of each coordinate is near 1/2.
        for d in 0..<3 {
            let mean = stride(from: d, to: p.count, by: 3).map { p[$0] }.reduce(0, +) / 500
            #expect(abs(mean - 0.5) < 0.05)
        }
    }

    @Test func latinHypercubePutsOnePointInEveryStratumOfEveryAxis() {
        var g = SeededGenerator(seed: 1)
        let n = 64
        let p = PointSampler.sample(.lhs, count: n, dimensions: 2, generator: &g)
        for d in 0..<2 {
            let strata = Set(stride(from: d, to: p.count, by: 2).map { Int(p[$0] * Double(n)) })
            #expect(strata.count == n)
        }
    }

    @Test func haltonIsTheShiftedRadicalInverse() {
        // Without the shift, base 2 gives 1/2, 1/4, 3/4, 1/8 …; the shifted points keep those gaps mod 1.
        var g = SeededGenerator(seed: 3)
        let p = PointSampler.sample(.halton, count: 4, dimensions: 1, generator: &g)
        let gaps = [p[1] - p[0], p[2] - p[0], p[3] - p[0]].map { $0 < 0 ? $0 + 1 : $0 }
        for (gap, expected) in zip(gaps, [0.75, 0.25, 0.625]) { #expect(abs(gap - expected) < 1e-12) }
    }
}
