import Testing
@testable import PINNPlot

@Suite struct TicksTests {
    private func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
    }

    @Test func unitIntervalInFifths() {
        let ticks = Ticks.linear(from: 0, to: 1, count: 6)
        #expect(close(ticks.map(\.value), [0, 0.2, 0.4, 0.6, 0.8, 1]))
        #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func symmetricAndIntegerRanges() {
        let symmetric = Ticks.linear(from: -1, to: 1, count: 5)
        #expect(close(symmetric.map(\.value), [-1, -0.5, 0, 0.5, 1]))
        #expect(symmetric.map(\.label) == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])

        let hundreds = Ticks.linear(from: 0, to: 100, count: 6)
        #expect(hundreds.map(\.label) == ["0", "20", "40", "60", "80", "100"])

        // The step is the smallest of 1, 2, 5 × 10^k giving at most `count` ticks.
        #expect(close(Ticks.linear(from: 0.5, to: 9.5, count: 10).map(\.value), [1, 2, 3, 4, 5, 6, 7, 8, 9]))
        #expect(close(Ticks.linear(from: -0.96, to: 0.96, count: 6).map(\.value), [-0.5, 0, 0.5]))
        #expect(close(Ticks.linear(from: 3, to: 17, count: 4).map(\.value), [5, 10, 15]))
    }

    @Test func tinyAndHugeValuesUseExponents() {
        #expect(Ticks.linear(from: 0, to: 3e-5, count: 4).map(\.label) == ["0", "1e-5", "2e-5", "3e-5"])
        #expect(Ticks.linear(from: 0, to: 2e6, count: 5).map(\.label) == ["0", "5e5", "1e6", "1.5e6", "2e6"])
        #expect(Ticks.scientific(1.5e-4, step: 1e-5) == "1.5e-4")
        #expect(Ticks.scientific(9.99e-5, step: 1e-6) == "1e-4")
        #expect(Ticks.decimal(-1e-9, places: 2) == "0.00")
        #expect(Ticks.decimal(0.6000000000000001, places: 1) == "0.6")
        #expect(Ticks.decimal(-0.25, places: 2) == "-0.25")
        #expect(Ticks.decimal(1234.5, places: 0) == "1235")
    }

    @Test func degenerateRangesGiveNoTicks() {
        #expect(Ticks.linear(from: 1, to: 1).isEmpty)
        #expect(Ticks.linear(from: 2, to: 1).isEmpty)
        #expect(Ticks.linear(from: .nan, to: 1).isEmpty)
        #expect(Ticks.linear(from: 0, to: .infinity).isEmpty)
        #expect(Ticks.log(from: 0, to: 1).isEmpty)
        #expect(Ticks.log(from: -1, to: 10).isEmpty)
    }

    @Test func logAxisUsesDecades() {
        let ticks = Ticks.log(from: 1e-5, to: 1)
        #expect(close(ticks.map(\.value), [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]))
        #expect(ticks.map(\.label) == ["1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1"])
        #expect(Ticks.log(from: 0.5, to: 2000).map(\.label) == ["1", "1e1", "1e2", "1e3"])
    }

    @Test func manyDecadesAreThinned() {
        let ticks = Ticks.log(from: 1e-12, to: 1e3, count: 8)
        #expect(ticks.map(\.label) == ["1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "1e-2", "1", "1e2"])
    }

    @Test func narrowLogRangesFallBackToMantissas() {
        #expect(close(Ticks.log(from: 2, to: 8).map(\.value), [2, 5]))
        #expect(close(Ticks.log(from: 0.03, to: 0.3).map(\.value), [0.05, 0.1, 0.2]))
        #expect(Ticks.log(from: 0.03, to: 0.3).map(\.label) == ["0.05", "0.1", "0.2"])
        #expect(close(Ticks.log(from: 1.5, to: 1.9).map(\.value), [1.6, 1.8]))
    }

    @Test func logMinorTicksFillEachDecade() {
        let minor = Ticks.logMinor(from: 1, to: 100)
        #expect(close(minor, [2, 3, 4, 5, 6, 7, 8, 9, 20, 30, 40, 50, 60, 70, 80, 90]))
        #expect(Ticks.logMinor(from: 1e-20, to: 1).isEmpty)
    }
}
