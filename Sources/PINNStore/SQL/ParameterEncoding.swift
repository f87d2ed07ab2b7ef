import Foundation

/// Trained parameters as a blob of little-endian IEEE 754 doubles: bit-exact, 8 bytes each, and readable
/// elsewhere without this code (`numpy.frombuffer(blob, "<f8")`).
enum ParameterEncoding {
    static func encode(_ parameters: [Double]) -> Data {
        var data = Data(capacity: parameters.count * 8)
        for x in parameters { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data, jobID: String) throws(StoreError) -> [Double] {
        guard data.count % 8 == 0 else {
            throw .corrupt(jobID: jobID, detail: "parameter blob of \(data.count) bytes is not a whole number of doubles")
        }
        return data.withUnsafeBytes { raw in
            (0..<raw.count / 8).map {
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))
            }
        }
    }
}
