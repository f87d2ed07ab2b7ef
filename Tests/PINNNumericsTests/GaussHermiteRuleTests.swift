import Foundation
import PINNNumerics
import Testing

/// ∫ z^{2k} e^{−z²} dz = Γ(k + 1/2); an n-point rule integrates it exactly while 2k ≤ 2n − 1.
@Test(arguments: [1, 2, 3, 5, 10, 40, 100, 400])
func gaussHermiteRuleIntegratesEvenMomentsExactly(order: Int) {
    let rule = GaussHermiteRule(order: order)
    for k in 0...min(order - 1, 12) {
        // Σ wᵢ zᵢ^{2k}, summed as exp(log wᵢ + 2k log|zᵢ|) so that no factor overflows or underflows on its own.
        let moment = zip(rule.nodes, rule.logWeights).reduce(0.0) { sum, node in
            let (z, logW) = node
            if k == 0 { return sum + exp(logW) }
            return z == 0 ? sum : sum + exp(logW + Double(2 * k) * log(abs(z)))
        }
        let exact = tgamma(Double(k) + 0.5)
        #expect(abs(moment - exact) <= 1e-13 * exact, "order \(order), k = \(k): \(moment) vs \(exact)")
    }
}

@Test(arguments: [1, 2, 7, 64, 400])
func gaussHermiteWeightsSumToRootPi(order: Int) {
    let rule = GaussHermiteRule(order: order)
    #expect(rule.logWeights.allSatisfy { $0.isFinite })
    let sum = rule.logWeights.reduce(0.0) { $0 + exp($1) }
    #expect(abs(sum - Double.pi.squareRoot()) <= 1e-14 * Double.pi.squareRoot())
}

@Test(arguments: [1, 2, 3, 8, 9, 400, 401])
func gaussHermiteNodesAreAscendingAndSymmetric(order: Int) {
    let rule = GaussHermiteRule(order: order)
    #expect(rule.nodes.count == order && rule.logWeights.count == order)
    #expect(zip(rule.nodes, rule.nodes.dropFirst()).allSatisfy { $0 < $1 })
    for i in 0..<order {
        #expect(rule.nodes[i] == -rule.nodes[order - 1 - i])
        #expect(rule.logWeights[i] == rule.logWeights[order - 1 - i])
    }
    if order % 2 == 1 { #expect(rule.nodes[order / 2] == 0) }
}

/// H₃(z) = 8z³ − 12z: nodes 0, ±√(3/2), weights 2√π/3 and √π/6.
@Test func gaussHermiteThreePointRuleMatchesClosedForm() {
    let rule = GaussHermiteRule(order: 3)
    let rootPi = Double.pi.squareRoot()
    #expect(abs(rule.nodes[2] - 1.5.squareRoot()) <= 1e-15)
    #expect(abs(exp(rule.logWeights[1]) - 2 * rootPi / 3) <= 1e-15)
    #expect(abs(exp(rule.logWeights[2]) - rootPi / 6) <= 1e-15)
}

/// A smooth non-polynomial integrand converges spectrally: ∫ cos(z) e^{−z²} dz = √π e^{−1/4}.
@Test func gaussHermiteRuleIntegratesCosine() {
    let rule = GaussHermiteRule(order: 40)
    let integral = zip(rule.nodes, rule.logWeights).reduce(0.0) { $0 + exp($1.1) * cos($1.0) }
    #expect(abs(integral - Double.pi.squareRoot() * exp(-0.25)) <= 1e-14)
}
