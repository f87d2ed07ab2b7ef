import Foundation
import Testing
@testable import PINNService

/// The access settings through `ServiceConfiguration.load`: from the config file, the environment and a tokens
/// file; every bad value stops the server with a message naming the setting, never showing a token.
@Suite struct AccessConfigurationTests {
    static let alice = "alice-secret-0123456789"
    static let bob = "bob-secret-abcdefghijkl"

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pinn-config-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func load(file: String? = nil, environment: [String: String] = [:], arguments: [String] = []) throws -> ServiceConfiguration {
        try ServiceConfiguration.load(arguments: arguments, environment: environment,
                                      defaultFile: file ?? "/nonexistent/pinn-server.json")
    }

    static func message(_ body: () throws -> ServiceConfiguration) -> String {
        do {
            _ = try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsAreOpenWithoutCORS() throws {
        let configuration = try Self.load()
        #expect(configuration.tokens.isEmpty && configuration.accessControl.isOpen)
        #expect(configuration.auth == .all && configuration.corsOrigins.isEmpty && configuration.host == "127.0.0.1")
    }

    @Test func tokensAuthAndOriginsFromTheConfigFile() throws {
        let path = try Self.file("""
            {"tokens": {"alice": "\(Self.alice)", "bob": "\(Self.bob)"}, "auth": "writes",
             "corsOrigins": ["https://lab.example.org", "http://localhost:3000"]}
            """)
        let configuration = try Self.load(file: path)
        #expect(configuration.tokens.names == ["alice", "bob"])
        #expect(configuration.tokens.name(of: Self.bob) == "bob")
        #expect(configuration.auth == .writes)
        #expect(configuration.corsPolicy.origins == ["https://lab.example.org", "http://localhost:3000"])
    }

    @Test func tokensFromTheEnvironmentReplaceTheFilesOnes() throws {
        let path = try Self.file(#"{"tokens": {"carol": "carol-secret-0123456789"}}"#)
        let configuration = try Self.load(file: path, environment: [
            "PINN_TOKENS": "alice:\(Self.alice), bob:\(Self.bob)", "PINN_AUTH": "writes",
            "PINN_CORS_ORIGINS": "https://lab.example.org"])
        #expect(configuration.tokens.names == ["alice", "bob"])
        #expect(configuration.tokens.name(of: Self.alice) == "alice")
        #expect(configuration.auth == .writes && configuration.corsOrigins == ["https://lab.example.org"])
        // A secret may hold a colon: everything after the first one is the token.
        let colon = try Self.load(environment: ["PINN_TOKENS": "dave:dave:secret-0123456789"])
        #expect(colon.tokens.name(of: "dave:secret-0123456789") == "dave")
    }

    @Test func aTokensFileAddsToTheConfiguredTokens() throws {
        let tokensFile = try Self.file(#"{"bob": "\#(Self.bob)"}"#)
        let configuration = try Self.load(environment: ["PINN_TOKENS": "alice:\(Self.alice)", "PINN_TOKENS_FILE": tokensFile])
        #expect(configuration.tokens.names == ["alice", "bob"])
        #expect(configuration.tokens.name(of: Self.bob) == "bob")
        let twice = try Self.file(#"{"alice": "another-secret-0123456789"}"#)
        #expect(Self.message { try Self.load(environment: ["PINN_TOKENS": "alice:\(Self.alice)", "PINN_TOKENS_FILE": twice]) }
            .contains("\"alice\" is given twice"))
        #expect(Self.message { try Self.load(arguments: ["--tokens-file", "/nonexistent/tokens.json"]) }
            .contains("tokensFile: cannot read /nonexistent/tokens.json"))
    }

    @Test func aShortTokenStopsTheServerNamingItButNotShowingIt() throws {
        let message = Self.message { try Self.load(environment: ["PINN_TOKENS": "alice:\(Self.alice),bob:hunter2"]) }
        #expect(message.contains("PINN_TOKENS.bob") && message.contains("at least 16 characters") && message.contains("has 7"))
        #expect(!message.contains("hunter2"))
        let fromFile = Self.message { try Self.load(file: try Self.file(#"{"tokens": {"bob": "hunter2"}}"#)) }
        #expect(fromFile.contains("tokens.bob") && !fromFile.contains("hunter2"))
    }

    @Test(arguments: [
        (["PINN_TOKENS": "justasecretwithoutaname"], "name:token", "justasecret"),
        (["PINN_TOKENS": "alice:\(alice),alice:\(bob)"], "given twice", "secret"),
        (["PINN_TOKENS": "alice:\(alice),bob:\(alice)"], "the same token as \"alice\"", "secret"),
        (["PINN_TOKENS": "al ice:\(alice)"], "token name", "secret"),
        (["PINN_TOKENS": "alice:secret with spaces inside"], "printable ASCII", "spaces inside"),
        (["PINN_TOKENS": "alice:" + String(repeating: "x", count: 257)], "at most 256", "xxxx"),
        (["PINN_AUTH": "reads"], "auth: must be writes or all, got reads", "-"),
        (["PINN_CORS_ORIGINS": "https://lab.example.org/"], "corsOrigins", "-"),
        (["PINN_CORS_ORIGINS": "*"], "corsOrigins", "-"),
        (["PINN_CORS_ORIGINS": "https://Lab.example.org"], "lower case", "-"),
    ] as [([String: String], String, String)])
    func aBadSettingIsRefusedNamingIt(environment: [String: String], mentions: String, mustNotShow: String) {
        let message = Self.message { try Self.load(environment: environment) }
        #expect(message.contains(mentions), "\(message)")
        #expect(!message.contains(mustNotShow), "\(message)")
    }

    @Test func tokensAreNotTakenFromAFlag() {
        let message = Self.message { try Self.load(arguments: ["--tokens", "alice:\(Self.alice)"]) }
        #expect(message.contains("tokens: not accepted as a flag"))
        #expect(!message.contains(Self.alice))
    }

    @Test func theLoggedConfigurationNamesTokensWithoutTheirSecrets() throws {
        let configuration = try Self.load(environment: ["PINN_TOKENS": "alice:\(Self.alice),bob:\(Self.bob)"])
        let logged = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        #expect(logged.contains(#""tokens":["alice","bob"]"#))
        #expect(!logged.contains(Self.alice) && !logged.contains(Self.bob))
        #expect(!"\(configuration)".contains(Self.alice), "nor does its description")
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(dumped.contains("alice") && !dumped.contains(Self.alice), "nor its dump")
    }
}
