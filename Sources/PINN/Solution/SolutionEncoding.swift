import Foundation

/// `SolutionOnGrid` as files: JSON, CSV and NumPy `.npy`. Non-finite values are `null` in JSON, `nan`/`inf`/`-inf`
/// in CSV and IEEE values in `.npy`, so every solution is encodable whatever the network produced.
extension SolutionOnGrid {
    /// `{"axes": ["t","x"], "t": […], "x": […], "outputs": ["u"], "u": [[…]], "exact": {"u": [[…]]},
    /// "error": {"u": [[…]]}, "relativeL2": …, "errors": {"u": {"relativeL2", "maxAbsError"}}}` plus `extra`
    /// members (already-encoded JSON values); `u[i][j]` is at the first axis' i-th and the second axis' j-th
    /// coordinate (for Burgers t[i], x[j]). Without an exact solution, `exact`, `error` and the errors are absent.
    public func json(extra: [String: String] = [:]) -> Data {
        var members: [(String, String)] = [("axes", "[" + grid.axes.map { JSONText.string($0.name) }.joined(separator: ",") + "]"),
                                           ("outputs", "[" + outputs.map(JSONText.string).joined(separator: ",") + "]")]
        for axis in grid.axes { members.append((axis.name, JSONText.array(axis.values))) }
        for (o, name) in outputs.enumerated() { members.append((name, nested(column(.value, output: o)!))) }
        if let record = error(iteration: 0, phase: 0) {
            func byOutput(_ quantity: Quantity) -> String {
                "{" + outputs.indices.map { JSONText.string(outputs[$0]) + ":" + nested(column(quantity, output: $0)!) }
                    .joined(separator: ",") + "}"
            }
            members.append(("exact", byOutput(.exact)))
            members.append(("error", byOutput(.error)))
            members.append(("relativeL2", JSONText.number(record.relativeL2)))
            members.append(("errors", "{" + outputs.map { name in
                let e = record.outputs[name]!
                return JSONText.string(name) + ":{\"maxAbsError\":" + JSONText.number(e.maxAbsError)
                    + ",\"relativeL2\":" + JSONText.number(e.relativeL2) + "}"
            }.joined(separator: ",") + "}"))
        }
        members += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return Data(("{" + members.map { JSONText.string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}").utf8)
    }

    /// Nested arrays along the grid axes.
    private func nested(_ column: [Double]) -> String {
        let sizes = grid.axes.map(\.values.count)
        var text = ""
        text.reserveCapacity(column.count * 22)
        func build(_ axis: Int, _ offset: Int) {
            let stride = sizes[(axis + 1)...].reduce(1, *)
            text += "["
            for i in 0..<sizes[axis] {
                if i > 0 { text += "," }
                if axis == sizes.count - 1 { text += JSONText.number(column[offset + i]) } else { build(axis + 1, offset + i * stride) }
            }
            text += "]"
        }
        build(0, 0)
        return text
    }

    /// Columns: the axes (time first), the outputs, then `exact_<output>` and `error_<output>` for every output
    /// when there is an exact solution.
    public func csv() -> Data {
        let m = outputs.count, d = grid.points.count / max(grid.count, 1)
        var header = grid.axes.map(\.name) + outputs
        if exact != nil { header += outputs.map { "exact_\($0)" } + outputs.map { "error_\($0)" } }
        var text = header.joined(separator: ",") + "\n"
        text.reserveCapacity(grid.count * header.count * 22)
        for i in 0..<grid.count {
            var fields = grid.axes.map { CSVText.number(grid.points[i * d + $0.input]) }
            fields += (0..<m).map { CSVText.number(values[i * m + $0]) }
            if let exact {
                fields += (0..<m).map { CSVText.number(exact[i * m + $0]) }
                fields += (0..<m).map { CSVText.number(values[i * m + $0] - exact[i * m + $0]) }
            }
            text += fields.joined(separator: ",") + "\n"
        }
        return Data(text.utf8)
    }

    /// NumPy format 1.0: float64 little-endian, C order, shape (axis sizes…) for one output, (…, outputs) for more;
    /// `quantity` chooses the network's values (default), the exact solution or the error.
    public func npy(_ quantity: Quantity = .value) -> Data? {
        var flat: [Double]
        if quantity == .value { flat = values } else {
            guard exact != nil else { return nil }
            let columns = outputs.indices.map { column(quantity, output: $0)! }
            flat = (0..<grid.count).flatMap { i in columns.map { $0[i] } }
        }
        var shape = grid.axes.map(\.values.count)
        if outputs.count > 1 { shape.append(outputs.count) }
        return NPYFile.float64(flat, shape: shape)
    }
}

/// JSON text for numbers and strings, written by hand where a document is large (grids): non-finite → `null`.
enum JSONText {
    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    static func array(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ",") + "]" }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// CSV fields for numbers: the shortest text that reads back to the same Double; `nan`, `inf`, `-inf`.
public enum CSVText {
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}

/// NumPy `.npy` files, format 1.0.
public enum NPYFile {
    /// float64 little-endian, C order.
    public static func float64(_ values: [Double], shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + 8 * values.count)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}
