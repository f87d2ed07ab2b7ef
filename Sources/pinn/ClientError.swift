import Foundation

/// Why a client command (`pinn submit`, `status`, `get`, …) failed, and the exit status a script sees for it.
/// The table of exit statuses is docs/cli.md; this is the one place that assigns them.
enum ClientError: Error, CustomStringConvertible {
    /// Bad arguments, a spec file that cannot be read, an output file that cannot be written: exit 2.
    case usage(String)
    /// Connection refused, unknown host, timeout: exit 3.
    case unreachable(String)
    /// The server answered 4xx: its message and, for an invalid spec, every issue (`field: message`): exit 4.
    case rejected(status: Int, message: String, issues: [String])
    /// The server answered 5xx, or something that is not the documented answer: exit 5.
    case serverFailed(String)

    /// Exit statuses of the client commands (docs/cli.md).
    enum ExitStatus {
        static let success: Int32 = 0
        /// `--wait` / `watch`: the job ended failed or cancelled.
        static let jobUnsuccessful: Int32 = 1
        static let usage: Int32 = 2
        static let unreachable: Int32 = 3
        static let rejected: Int32 = 4
        static let serverFailed: Int32 = 5
        /// Ctrl-C while waiting (128 + SIGINT); the job keeps running on the server.
        static let interrupted: Int32 = 130
    }

    var exitStatus: Int32 {
        switch self {
        case .usage: ExitStatus.usage
        case .unreachable: ExitStatus.unreachable
        case .rejected: ExitStatus.rejected
        case .serverFailed: ExitStatus.serverFailed
        }
    }

    var description: String {
        switch self {
        case .usage(let message), .unreachable(let message), .serverFailed(let message): message
        case .rejected(_, let message, let issues): ([message] + issues.map { "  " + $0 }).joined(separator: "\n")
        }
    }
}
