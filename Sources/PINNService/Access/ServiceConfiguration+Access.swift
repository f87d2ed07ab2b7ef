import Foundation

/// The access settings (`tokens`, `tokensFile`, `auth`, `corsOrigins`): how each is read from a layer, and checked.
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
            let origins: [String]
            if let list = value as? [Any] {
                origins = try list.map { item in
                    guard let text = item as? String else { throw ConfigurationError("corsOrigins: expected strings, got \(item)") }
                    return text
                }
            } else if let text = value as? String {
                origins = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } else {
                throw ConfigurationError("corsOrigins: expected a list of origins (or PINN_CORS_ORIGINS=origin,…)")
            }
            for origin in origins { try CORSPolicy.validate(origin, source: "corsOrigins") }
            corsOrigins = origins
        default:
            return false
        }
        return true
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
