import Foundation

/// The reverse proxies whose `X-Forwarded-For` the server believes, and how a request's client address is found
/// behind them.
///
/// Each proxy appends the address it received the request from to `X-Forwarded-For`, so the list reads
/// client, proxy₁, proxy₂, … and the right end was written by the proxy nearest to us; anything to the left of an
/// untrusted hop may have been written by the client itself. So: a peer that is not a trusted proxy is the client
/// and its header is ignored; otherwise the entries are read from the right, skipping trusted proxies, and the
/// first untrusted address is the client. When every entry is a trusted proxy the left-most is taken; an entry that
/// is not an address ends the walk at the last address read (the nearest hop that can be vouched for).
public struct TrustedProxies: Sendable, Equatable, Encodable {
    public let ranges: [IPAddressRange]

    /// No trusted proxy: every request's client is its peer.
    public init() { ranges = [] }

    public init(_ ranges: [IPAddressRange]) { self.ranges = ranges }

    /// Parses each entry as an address or CIDR block; throws `InvalidRange` naming the first that is neither.
    public init(parsing entries: [String]) throws {
        ranges = try entries.map { entry in
            guard let range = IPAddressRange(entry) else { throw InvalidRange(entry: entry) }
            return range
        }
    }

    /// An entry that is neither a numeric address nor `address/prefix`.
    public struct InvalidRange: Error, CustomStringConvertible {
        public let entry: String
        public var description: String {
            "\"\(entry)\" is not an IP address or CIDR block (examples: 10.0.0.5, 172.16.0.0/12, fd00::/8)"
        }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func trusts(_ address: String) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client a request came from: its `peer` address, or — when the peer is a trusted proxy — the right-most
    /// untrusted address of `forwardedFor`, every `X-Forwarded-For` field of the request in order.
    public func client(peer: String, forwardedFor: [String]) -> String {
        guard trusts(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard IPAddressRange.isAddress(hop) else { return client }
            client = hop
            if !trusts(hop) { return hop }
        }
        return client
    }

    /// The ranges as written: what the server logs as its configuration.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ranges.map(\.description))
    }
}
