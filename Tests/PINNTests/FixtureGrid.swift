import Foundation
import Testing

/// A solution on a tensor grid, read from a CSV fixture: columns t,x,u, t-major, one header line.
struct FixtureGrid {
    var x: [Double] = []
    var t: [Double] = []
    /// t-major: u[i·x.count + j] = u(x[j], t[i]).
    var u: [Double] = []

    /// Fails unless the file holds exactly the tensor grid of `tCount` times × `xCount` points.
    init(named name: String, xCount: Int, tCount: Int) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures"))
        let rows = try String(contentsOf: url, encoding: .utf8)
            .split(whereSeparator: \.isNewline)
            .dropFirst()
            .map { line in try line.split(separator: ",").map { try #require(Double($0)) } }
        for row in rows {
            if t.last != row[0] { t.append(row[0]) }
            if t.count == 1 { x.append(row[1]) }
            u.append(row[2])
        }
        // The layout must really be t-major over the tensor grid t × x.
        try #require(x.count == xCount && t.count == tCount && rows.count == t.count * x.count)
        for (k, row) in rows.enumerated() {
            try #require(row[0] == t[k / x.count] && row[1] == x[k % x.count])
        }
    }
}
