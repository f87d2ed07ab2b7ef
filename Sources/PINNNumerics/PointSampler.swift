/// How collocation and boundary points are drawn in the unit cube [0, 1)^d (mapped to a box by the caller).
public enum SamplingMethod: String, Codable, Sendable, CaseIterable {
    /// Independent uniform draws.
    case uniform
    /// Latin hypercube: each axis cut into `count` equal strata, one point per stratum, strata paired by
    /// independent random permutations, jittered uniformly inside the stratum.
    case lhs
    /// The Halton sequence (bases 2, 3, 5, …) with a seeded Cranley–Patterson rotation: x ← frac(x + u_d),
    /// which keeps the low discrepancy and makes each seed give a different point set.
    case halton
}

/// Seeded point sets in the unit cube, `count` rows of `dimensions` coordinates, row-major.
public enum PointSampler {
    public static func sample(_ method: SamplingMethod, count: Int, dimensions: Int,
                              generator: inout SeededGenerator) -> [Double] {
        precondition(count >= 0 && dimensions >= 0)
        var points = [Double](repeating: 0, count: count * dimensions)
        guard count > 0, dimensions > 0 else { return points }
        switch method {
        case .uniform:
            for i in points.indices { points[i] = generator.nextUnit() }
        case .lhs:
            for d in 0..<dimensions {
                var strata = Array(0..<count)
                strata.shuffle(using: &generator)
                for i in 0..<count {
                    points[i * dimensions + d] = (Double(strata[i]) + generator.nextUnit()) / Double(count)
                }
            }
        case .halton:
            let bases = primes(dimensions)
            let shifts = (0..<dimensions).map { _ in generator.nextUnit() }
            for i in 0..<count {
                for d in 0..<dimensions {
                    let x = radicalInverse(i + 1, base: bases[d]) + shifts[d]
                    points[i * dimensions + d] = x >= 1 ? x - 1 : x
                }
            }
        }
        return points
    }

    /// The van der Corput radical inverse of i in the given base: digits of i mirrored about the point.
    static func radicalInverse(_ i: Int, base: Int) -> Double {
        var i = i, result = 0.0, scale = 1.0 / Double(base)
        while i > 0 {
            result += Double(i % base) * scale
            i /= base
            scale /= Double(base)
        }
        return result
    }

    static func primes(_ count: Int) -> [Int] {
        var found: [Int] = []
        var candidate = 2
        while found.count < count {
            if found.allSatisfy({ candidate % $0 != 0 }) { found.append(candidate) }
            candidate += 1
        }
        return found
    }
}
