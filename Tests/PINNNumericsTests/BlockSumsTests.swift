import Testing
import PINNNumerics

/// The C row tiling and column sums against the scalar loops they replace: the same sums to the bit (the rows are
/// added in the same order), for widths on and off the vector length and for one row.
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

    func tilingRepeatsTheRow<T: PINNScalar>(_: T.Type) {
        for (rows, width) in Self.shapes {
            let row = (0..<width).map { (o: Int) -> T in T(Double(o) * 1.25 - 3) }
            var block = [T](repeating: .nan, count: rows * width + 1)
            T.tileRows(rows: rows, width: width, row, into: &block)
            let tiled = (0..<rows).allSatisfy { i in (0..<width).allSatisfy { block[i * width + $0] == row[$0] } }
            #expect(tiled, "rows \(rows), width \(width)")
            #expect(block[rows * width].isNaN, "wrote past the block")
        }
    }

    @Test func columnSumsInDouble() { columnSumsMatchTheLoop(Double.self) }
    @Test func columnSumsInFloat() { columnSumsMatchTheLoop(Float.self) }
    @Test func tilingInDouble() { tilingRepeatsTheRow(Double.self) }
    @Test func tilingInFloat() { tilingRepeatsTheRow(Float.self) }
}
