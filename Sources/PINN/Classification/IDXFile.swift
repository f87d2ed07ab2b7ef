/// An IDX file (LeCun's MNIST format) of unsigned bytes: a big-endian header
///
///     0x00 0x00 type rank   dimension₁ … dimension_rank (UInt32 each)   then ∏ dimensions bytes, last dimension fastest
///
/// with type 0x08 (unsigned byte), the only type the MNIST-type datasets use. Labels are rank 1 (magic 0x00000801),
/// images rank 3 (0x00000803: count × rows × columns).
public struct IDXFile: Sendable, Equatable {
    public let dimensions: [Int]
    /// The values, row-major (the last dimension fastest).
    public let values: [UInt8]

    public init(dimensions: [Int], values: [UInt8]) {
        precondition(dimensions.reduce(1, *) == values.count, "values do not fill the dimensions")
        self.dimensions = dimensions
        self.values = values
    }

    /// The magic number of an unsigned-byte IDX file of rank `rank`.
    public static func magic(rank: Int) -> UInt32 { 0x0800 | UInt32(rank) }

    /// Parses the decompressed bytes of a file; `name` labels the errors.
    public init(bytes: [UInt8], name: String) throws {
        func word(_ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        guard bytes.count >= 4 else {
            throw ClassificationDataError.corrupt(file: name, reason: "\(bytes.count) bytes: too short for an IDX header")
        }
        let magic = UInt32(word(0))
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08, (1...4).contains(bytes[3]) else {
            let hex = "0x" + String(magic, radix: 16, uppercase: true).leftPadded(to: 8)
            throw ClassificationDataError.corrupt(
                file: name, reason: "bad magic number \(hex): an IDX file of unsigned bytes starts 0x0000080N, N = rank 1–4")
        }
        let rank = Int(bytes[3])
        let headerBytes = 4 + 4 * rank
        guard bytes.count >= headerBytes else {
            throw ClassificationDataError.corrupt(file: name, reason: "truncated header: rank \(rank) needs \(headerBytes) bytes, the file has \(bytes.count)")
        }
        let dimensions = (0..<rank).map { word(4 + 4 * $0) }
        let count = dimensions.reduce(1, *)
        guard bytes.count - headerBytes == count else {
            let shape = dimensions.map(String.init).joined(separator: "×")
            throw ClassificationDataError.corrupt(
                file: name, reason: "the header declares \(shape) = \(count) values, the file holds \(bytes.count - headerBytes)"
                    + (bytes.count - headerBytes < count ? " (truncated file)" : ""))
        }
        self.init(dimensions: dimensions, values: Array(bytes[headerBytes...]))
    }

    /// The file's bytes, header included (what `init(bytes:name:)` reads).
    public var bytes: [UInt8] {
        var header: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { header += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return header + values
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
