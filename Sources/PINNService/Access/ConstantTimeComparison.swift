/// Byte-string equality whose running time does not depend on the bytes compared, for checking secrets (API
/// tokens): an ordinary `==` stops at the first differing byte, so how long a wrong guess takes to be refused tells
/// an attacker how many of its leading bytes were right, and a byte-by-byte search then finds a token in
/// 256 · length tries instead of 256^length.
enum ConstantTimeComparison {
    /// Whether `a` and `b` hold the same bytes.
    ///
    /// The loop visits `max(a.count, b.count, minimumLength)` positions whatever the contents: no early exit on a
    /// difference or on the lengths, and no branch on a byte's value (bytes past the end of the shorter side count
    /// as 0, and the lengths' difference is folded into the same accumulator, so "abc" ≠ "abc\0"). With
    /// `minimumLength` at least the longest secret, the time does not reveal a secret's length either; only a
    /// presented value longer than that takes longer, which reveals nothing the caller did not choose.
    static func equal(_ a: [UInt8], _ b: [UInt8], minimumLength: Int = 0) -> Bool {
        var difference = UInt(bitPattern: a.count ^ b.count)
        let length = max(a.count, b.count, minimumLength)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<length {
                    // Branches on the position only (i < count), never on a byte.
                    let x = i < a.count ? a[i] : 0
                    let y = i < b.count ? b[i] : 0
                    difference |= UInt(x ^ y)
                }
            }
        }
        return difference == 0
    }
}
