import Foundation
import Testing
import PINNNumerics

/// The vectorised activation kernels against Foundation's libm, over a range that includes the clamps.
@Suite struct ActivationKernelTests {
    static func arguments<T: PINNScalar>(_: T.Type) -> [T] {
        var values: [T] = [0, -0.0, T(1e-30), T(1e-8), 20, 40, 300, 800]
        for i in -5000...5000 { values.append(T(Double(i) * 0.00713)) }   // [-35.6, 35.6], off-grid spacing
        return values + values.map { -$0 }
    }

    func tanhAccuracy<T: PINNScalar>(_: T.Type, tolerance: Double) {
        let y = Self.arguments(T.self)
        var h = [T](repeating: 0, count: y.count), p = h
        T.activate(.tanh, count: y.count, y: y, h: &h, p: &p)
        var worst = 0.0, worstDerivative = 0.0
        for i in y.indices {
            let x = Double(y[i])
            let exact = tanh(x), exactDerivative = 1 / (cosh(x) * cosh(x))
            if exact != 0 { worst = max(worst, abs(Double(h[i]) - exact) / abs(exact)) }
            if abs(x) < 15 { worstDerivative = max(worstDerivative, abs(Double(p[i]) - exactDerivative) / exactDerivative) }
        }
        #expect(worst <= tolerance, "tanh max relative error \(worst)")
        #expect(worstDerivative <= 8 * tolerance, "tanh' max relative error \(worstDerivative)")
        #expect(h[0] == 0 && h.allSatisfy { abs($0) <= 1 })
    }

    @Test func tanhIsAccurateInDouble() { tanhAccuracy(Double.self, tolerance: 1e-15) }
    @Test func tanhIsAccurateInFloat() { tanhAccuracy(Float.self, tolerance: 5e-7) }

    @Test func sinAndCosAreAccurateInDouble() {
        let y = Self.arguments(Double.self).filter { abs($0) < 1000 }
        var h = [Double](repeating: 0, count: y.count), p = h
        Double.activate(.sin, count: y.count, y: y, h: &h, p: &p)
        for i in y.indices {
            #expect(abs(h[i] - sin(y[i])) <= 1e-15 * max(1, abs(y[i]) / 100))
            #expect(abs(p[i] - cos(y[i])) <= 1e-15 * max(1, abs(y[i]) / 100))
        }
    }
}
