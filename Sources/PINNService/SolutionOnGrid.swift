import Foundation
import PINN

/// A trained network evaluated on a grid over its problem's box (bounds inclusive), with the exact solution and
/// the pointwise error beside it when the problem has one; encoded as JSON, CSV or NumPy `.npy`.
public struct SolutionOnGrid: Sendable {
    public let grid: SolutionGrid
    public let outputs: [String]
    /// grid.count × outputs, row-major, in grid order (time slowest).
    public let values: [Double]
    public let exact: [Double]?

    public init(spec: JobSpec, parameters: [Double], sizes: [String: Int]) throws(JobSpecError) {
        let problem = try ProblemBuilder.make(spec)
        let architecture = NetworkArchitecture(inputs: problem.inputs.count, outputs: problem.outputs.count,
                                               hidden: spec.network.layers, activation: spec.network.activation,
                                               adaptive: spec.network.adaptive, scale: spec.network.scale)
        let network = Network<Double>(architecture: architecture, lower: problem.lower, upper: problem.upper,
                                      parameters: parameters)
        grid = SolutionGrid(problem: problem, sizes: spec.output.grid.merging(sizes) { $1 })
        outputs = problem.outputs
        values = network.evaluate(grid.points)
        exact = problem.exact?.values(at: grid.points)
    }

    public var relativeL2: Double? { exact.map { SolutionGrid.relativeL2(values, exact: $0) } }

    /// The values as nested arrays along the grid axes: u[i][j] at (axis 0)[i], (axis 1)[j] for one output.
    private func nested(_ flat: [Double], output: Int) -> JSONValue {
        let m = outputs.count
        let sizes = grid.axes.map(\.values.count)
        func build(_ axis: Int, _ offset: Int) -> JSONValue {
            let stride = sizes[(axis + 1)...].reduce(1, *)
            if axis == sizes.count - 1 { return .array((0..<sizes[axis]).map { .number(flat[(offset + $0) * m + output]) }) }
            return .array((0..<sizes[axis]).map { build(axis + 1, offset + $0 * stride) })
        }
        return build(0, 0)
    }

    /// `{"x": [...], "t": [...], "u": [[...]], "exact": ..., "error": ..., "relativeL2": ...}`; `u[i][j]` is at
    /// the first axis' i-th and the second axis' j-th coordinate (for Burgers: t[i], x[j]).
    public func json() -> Data {
        var object: [String: JSONValue] = ["axes": .array(grid.axes.map { .string($0.name) })]
        for axis in grid.axes { object[axis.name] = .array(axis.values.map { .number($0) }) }
        for (o, name) in outputs.enumerated() {
            object[name] = nested(values, output: o)
            if let exact {
                object["exact"] = nested(exact, output: o)
                object["error"] = nested(zip(values, exact).map { $0 - $1 }, output: o)
            }
        }
        if let relativeL2 { object["relativeL2"] = .number(relativeL2) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try! encoder.encode(JSONValue.object(object))
    }

    /// Columns: the axes (time first), the outputs, then `exact` and `error` when there is a reference.
    public func csv() -> Data {
        let d = grid.points.count / grid.count, m = outputs.count
        var header = grid.axes.map(\.name) + outputs
        if exact != nil { header += ["exact", "error"] }
        var text = header.joined(separator: ",") + "\n"
        for i in 0..<grid.count {
            var fields = grid.axes.map { "\(grid.points[i * d + $0.input])" } + (0..<m).map { "\(values[i * m + $0])" }
            if let exact { fields += ["\(exact[i * m])", "\(values[i * m] - exact[i * m])"] }
            text += fields.joined(separator: ",") + "\n"
        }
        return Data(text.utf8)
    }

    /// NumPy format 1.0: float64 little-endian, C order, shape (axis sizes…) for one output, (…, outputs) for more.
    public func npy() -> Data {
        var shape = grid.axes.map(\.values.count)
        if outputs.count > 1 { shape.append(outputs.count) }
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}
