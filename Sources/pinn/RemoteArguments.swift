import Foundation

/// A client command's arguments, in any order: positionals, `--flag`s, and `--option VALUE` (or `--option=VALUE`)
/// pairs. `--server URL` and `--token TOKEN` are accepted by every client command, anywhere; unknown `--name VALUE` pairs are kept, in
/// order, for commands that pass them on to the server as query parameters (`pinn get ID solution --nx 256`).
struct RemoteArguments {
    private(set) var positionals: [String] = []
    private(set) var flags: Set<String> = []
    private(set) var options: [String: String] = [:]
    /// Unknown `--name VALUE` pairs without their dashes, when the command passes them through.
    private(set) var passedThrough: [(name: String, value: String)] = []

    /// - Parameters:
    ///   - flags: the `--flag`s the command knows (`--help` and `-h` are always known).
    ///   - options: the options that take a value (`--server` and `--token` are always known).
    ///   - passThrough: keep unknown `--name VALUE` pairs instead of rejecting them.
    init(_ arguments: [String], flags knownFlags: Set<String> = [], options knownOptions: Set<String> = [],
         passThrough: Bool = false) throws(ClientError) {
        let knownFlags = knownFlags.union(["--help", "-h"])
        let knownOptions = knownOptions.union(Self.everyCommandsOptions)
        var index = arguments.startIndex
        while index < arguments.endIndex {
            var name = arguments[index]
            index += 1
            guard name.hasPrefix("-"), name != "-" else { positionals.append(name); continue }
            var inlineValue: String?
            if name.hasPrefix("--"), let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if knownFlags.contains(name) {
                guard inlineValue == nil else { throw .usage("\(name) takes no value") }
                flags.insert(name)
                continue
            }
            guard knownOptions.contains(name) || (passThrough && name.hasPrefix("--") && name.count > 2) else {
                throw .usage("unknown option \(name)")
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.endIndex else { throw .usage("\(name) needs a value") }
                value = arguments[index]
                index += 1
            }
            if knownOptions.contains(name) {
                options[name] = value
            } else {
                passedThrough.append((String(name.dropFirst(2)), value))
            }
        }
    }

    var wantsHelp: Bool { flags.contains("--help") || flags.contains("-h") }

    /// Exactly `count` positionals, named in `usage` for the error message.
    func expectPositionals(_ count: Int, _ usage: String) throws(ClientError) -> [String] {
        guard positionals.count == count else {
            throw .usage(positionals.count < count ? "missing arguments: \(usage)" : "unexpected argument \(positionals[count]): \(usage)")
        }
        return positionals
    }

    /// The server: `--server URL`, else `PINN_SERVER` (when not empty).
    func server(environment: [String: String]) throws(ClientError) -> String {
        if let server = options["--server"] { return server }
        if let server = environment["PINN_SERVER"], !server.isEmpty { return server }
        throw .usage("no server: give --server URL or set PINN_SERVER")
    }

    /// The API token: `--token TOKEN`, else `PINN_TOKEN` (when not empty), else none (a server without tokens).
    func token(environment: [String: String]) -> String? {
        if let token = options["--token"] { return token }
        if let token = environment["PINN_TOKEN"], !token.isEmpty { return token }
        return nil
    }

    static let everyCommandsOptions: Set<String> = ["--server", "--token"]

    /// Whether a server is named at all (`pinn presets` lists the local presets otherwise).
    static func namesServer(_ arguments: [String], environment: [String: String]) -> Bool {
        arguments.contains { $0 == "--server" || $0.hasPrefix("--server=") } || !(environment["PINN_SERVER"] ?? "").isEmpty
    }

    /// `pinn --server URL status ID` → `pinn status ID --server URL` (likewise `--token`): the command comes first
    /// for dispatch.
    static func commandFirst(_ arguments: [String]) -> [String] {
        var arguments = arguments
        var moved: [String] = []
        while let first = arguments.first,
              let option = everyCommandsOptions.first(where: { first == $0 || first.hasPrefix($0 + "=") }) {
            let count = first == option ? min(2, arguments.count) : 1
            moved += arguments.prefix(count)
            arguments.removeFirst(count)
        }
        return arguments + moved
    }
}
