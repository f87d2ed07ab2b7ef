import Foundation

/// How the store writes Codable values (specs, loss and slope records) as JSON text. Keys are sorted so equal
/// values give equal text. Non-finite numbers are written as strings because a diverged loss is NaN or
/// infinite and must still be recorded — JSON itself has no such numbers.
enum StoredJSON {
    private static let nonFinite = (positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

    static func encode<T: Encodable>(_ value: T) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity,
            nan: nonFinite.nan)
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Encoding our own Codable types cannot fail once non-finite numbers are handled; say so if it does.
            throw .corrupt(jobID: "-", detail: "cannot encode \(T.self): \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, jobID: String) throws(StoreError) -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity,
            nan: nonFinite.nan)
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw .corrupt(jobID: jobID, detail: "\(T.self) does not decode: \(error)")
        }
    }
}
