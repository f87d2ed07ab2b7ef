import Testing
import PINNNumerics

/// The C block sums against plain loops: the column sums to the bit (the rows are added in the same order), the row
/// sums to the rounding of their partial sums; for widths on and off the vector length and for one row.
@Suite struct BlockSumsTests {
    static let shapes = [(rows: 1, width: 1), (rows: 256, width: 20), (rows: 7, width: 3), (rows: 33, width: 50),
                         (rows: 5, width: 100), (rows: 256, width: 17)]

    func columnSumsMatchTheLoop<T: PINNScalar>(_: T.Type) {
        for (rows, width) in Self.shapes {
            let m = (0..<(rows * width)).map { (index: Int) -> T in
                let value: Double = Double(index % 97) * 0.37 - 11.3 + 1e-3 * Double(index)
                return T(value)
            }
            let start = (0..<width).map { (o: Int) -> T in T(Double(o) * 0.5 - 2) }
            var expected = start
            for i in 0..<rows { for o in 0..<width { expected[o] += m[i * width + o] } }
            var sums = start
            T.addColumnSums(rows: rows, width: width, m, into: &sums)
            let same = sums == expected
            #expect(same, "column sums differ at rows \(rows), width \(width)")
        }
    }

    /// pinn_add_row_sums over a strided block against a sum in Double, to the rounding of its 16 partial sums.
    func rowSumsMatchTheLoop<T: PINNScalar>(_: T.Type) {
        for (length, count) in Self.shapes {
            let stride = length + 5
            let m = (0..<(count * stride)).map { (index: Int) -> T in
                let value: Double = Double(index % 89) * 0.41 - 17.1 + 1e-3 * Double(index)
                return T(value)
            }
            let start = (0..<count).map { (o: Int) -> T in T(Double(o) * 0.75 - 1) }
            var sums = start
            T.addRowSums(count: count, length: length, stride: stride, m, into: &sums)
            for o in 0..<count {
                let row = (0..<length).map { (i: Int) -> Double in Double(m[o * stride + i]) }
                let exact = Double(start[o]) + row.reduce(0, +)
                let scale = abs(Double(start[o])) + row.reduce(0) { $0 + abs($1) }
                let error = abs(Double(sums[o]) - exact)
                // Each partial sum adds ⌈length/16⌉ terms, then 4 pairwise adds and the start.
                let bound = (Double(length) / 16 + 6) * Double(T.ulpOfOne) * scale
                #expect(error <= bound, "row \(o) of \(count), length \(length): off by \(error)")
            }
        }
    }

    @Test func columnSumsInDouble() { columnSumsMatchTheLoop(Double.self) }
    @Test func columnSumsInFloat() { columnSumsMatchTheLoop(Float.self) }
    @Test func rowSumsInDouble() { rowSumsMatchTheLoop(Double.self) }
    @Test func rowSumsInFloat() { rowSumsMatchTheLoop(Float.self) }
}
