/// A differentiable objective as the optimisers see it: it returns f(x) and overwrites `gradient` with ∇f(x).
///
/// `gradient` arrives with the same count as `x` and holds stale values; the objective must overwrite every entry
/// (not accumulate into it). A non-finite return value or gradient entry tells the optimiser the point is unusable:
/// `LBFGS` backs off from it instead of moving there.
public typealias Objective<T> = (_ x: [T], _ gradient: inout [T]) throws -> T
