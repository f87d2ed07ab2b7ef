/// What the optimisers' hand-written `Codable` states share: a positive parameter count, and a cached point (the
/// current x with f and the vectors kept there) whose vectors must all have that many entries. A checkpoint that
/// breaks either is a decoding error naming the key, never a crash.
extension KeyedDecodingContainer {
    /// The parameter count at `key`: positive, or a decoding error.
    func decodeParameterCount(forKey key: Key) throws -> Int {
        let n = try decode(Int.self, forKey: key)
        guard n > 0 else { throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must be positive") }
        return n
    }

    /// The vectors at `keys`, each of exactly `count` entries; nil when the first is absent (no cached point).
    func decodeCachedVectors<T: Decodable>(_ type: T.Type, count: Int, forKeys keys: [Key]) throws -> [[T]]? {
        guard let first = try decodeIfPresent([T].self, forKey: keys[0]) else { return nil }
        let vectors = try [first] + keys.dropFirst().map { try decode([T].self, forKey: $0) }
        guard vectors.allSatisfy({ $0.count == count }) else {
            throw DecodingError.dataCorruptedError(forKey: keys[0], in: self,
                                                   debugDescription: "cached point has the wrong length")
        }
        return vectors
    }
}
