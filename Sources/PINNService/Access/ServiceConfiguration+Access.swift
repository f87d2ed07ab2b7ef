import Foundation
import HTTPServer

/// The access settings (`tokens`, `tokensFile`, `auth`, `corsOrigins`, `trustedProxies`): how each is read from a layer, and checked.
/// Every message names the setting and, for a token, its name; no message shows a token.
extension ServiceConfiguration {
    /// The access control these settings describe.
    public var accessControl: AccessControl { AccessControl(tokens: tokens, mode: auth) }
    public var corsPolicy: CORSPolicy { CORSPolicy(origins: Set(corsOrigins)) }

    /// A flag is visible to every user of the machine (`ps`), so secrets are not taken from one.
    static func refuseSecretFlag(_ key: String) throws {
        guard key == "tokens" else { return }
        throw ConfigurationError("tokens: not accepted as a flag (other users see the command line); "
                                 + "use PINN_TOKENS, \"tokens\" in the config file or tokensFile")
    }

    /// Sets `key` if it is an access setting; false if it is not one. `value` is a string from the environment
    /// or a flag, or the config file's JSON value.
    mutating func setAccess(_ key: String, _ value: Any) throws -> Bool {
        switch key {
        case "tokens":
            if let object = value as? [String: Any] {
                var texts: [String: String] = [:]
                for (name, secret) in object {
                    guard let secret = secret as? String else {
                        throw ConfigurationError("tokens.\(name): expected a string")
                    }
                    texts[name] = secret
                }
                tokens = try APITokens(texts)
            } else if let text = value as? String {
                tokens = text.trimmingCharacters(in: .whitespaces).isEmpty ? APITokens() : try APITokens(list: text)
            } else {
                throw ConfigurationError("tokens: expected an object {\"name\": \"token\"} (or PINN_TOKENS=name:token,…)")
            }
        case "tokensFile":
            let path = "\(value)"
            tokensFile = path.isEmpty ? nil : path
        case "auth":
            guard let mode = AccessControl.Mode(rawValue: "\(value)") else {
                throw ConfigurationError("auth: must be \(AccessControl.Mode.allCases.map(\.rawValue).joined(separator: " or ")), got \(value)")
            }
            auth = mode
        case "corsOrigins":
            let origins = try Self.list(value, key: key, example: "PINN_CORS_ORIGINS=origin,…")
            for origin in origins { try CORSPolicy.validate(origin, source: "corsOrigins") }
            corsOrigins = origins
        case "trustedProxies":
            let entries = try Self.list(value, key: key, example: "PINN_TRUSTED_PROXIES=10.0.0.0/8,fd00::/8")
            do {
                trustedProxies = try TrustedProxies(parsing: entries)
            } catch let error as TrustedProxies.InvalidRange {
                throw ConfigurationError("trustedProxies: \(error)")
            }
        default:
            return false
        }
        return true
    }

    /// A list setting: the config file's JSON array of strings, or a comma-separated string (environment, flag).
    private static func list(_ value: Any, key: String, example: String) throws -> [String] {
        if let list = value as? [Any] {
            return try list.map { item in
                guard let text = item as? String else { throw ConfigurationError("\(key): expected strings, got \(item)") }
                return text
            }
        }
        guard let text = value as? String else {
            throw ConfigurationError("\(key): expected a list of strings (or \(example))")
        }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Adds the tokens of `tokensFile` (a JSON object of name → token) to `tokens`; a name in both is an error.
    mutating func readTokensFile() throws {
        guard let path = tokensFile else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("tokensFile: cannot read \(path)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigurationError("tokensFile: \(path) is not a JSON object {\"name\": \"token\", …}")
        }
        var texts: [String: String] = [:]
        for (name, secret) in object {
            guard let secret = secret as? String else { throw ConfigurationError("\(path): \(name): expected a string") }
            texts[name] = secret
        }
        tokens = try tokens.merging(APITokens(texts, source: path), source: path)
    }
}
