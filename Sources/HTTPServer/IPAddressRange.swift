#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address block in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address (`192.0.2.7`, a /32 or
/// /128). IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`, how a dual-stack socket reports an IPv4 peer) are compared
/// as the IPv4 address they carry, so one range covers a peer whichever way the socket spelled it.
public struct IPAddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The network's address bytes (4 or 16), with the bits past the prefix cleared.
    private let network: [UInt8]
    /// Leading bits that must match: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int
    /// The range as it was written, for logs and messages.
    public let description: String

    /// Parses `text` as an address or `address/prefix`; nil when it is neither.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.addressBytes(String(parts[0])) else { return nil }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            // An IPv4-mapped block's prefix counts the 96 bits of the mapping; its address is compared as IPv4.
            guard let n = Int(parts[1]), (0...bits).contains(n), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            prefix = n
        }
        if bytes.count == 16, let mapped = Self.unmapped(bytes) {
            guard prefix >= 96 else { return nil }
            (network, prefixLength) = (Self.masked(mapped, prefix: prefix - 96), prefix - 96)
        } else {
            (network, prefixLength) = (Self.masked(bytes, prefix: prefix), prefix)
        }
        description = text
    }

    /// Whether `address` (a numeric IPv4 or IPv6 address) lies in this range; false for text that is no address.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address) else { return false }
        let comparable = bytes.count == 16 ? (Self.unmapped(bytes) ?? bytes) : bytes
        return comparable.count == network.count && Self.masked(comparable, prefix: prefixLength) == network
    }

    /// Whether `text` is a numeric IPv4 or IPv6 address.
    public static func isAddress(_ text: String) -> Bool { addressBytes(text) != nil }

    /// The bytes of a numeric address: 4 for IPv4, 16 for IPv6 (`inet_pton`, which accepts no host names and no
    /// zone suffix). Brackets around an IPv6 address are allowed, as some proxies write them.
    private static func addressBytes(_ text: String) -> [UInt8]? {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        return nil
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else nil.
    private static func unmapped(_ bytes: [UInt8]) -> [UInt8]? {
        bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff ? Array(bytes[12...]) : nil
    }

    /// `bytes` with every bit past the first `prefix` cleared.
    private static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(8, max(0, prefix - 8 * index))
            return kept == 8 ? byte : byte & ~(UInt8(0xff) >> kept)
        }
    }
}
