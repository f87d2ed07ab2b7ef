import Dispatch
import Foundation
import PINNNumerics
import PINNService

/// Starts the service, logs the effective configuration, and on SIGINT/SIGTERM checkpoints running jobs and stops.
enum ServerCommand {
    static func run() -> Never {
        BLASKernels.reexecIfMisdetected { log("pinn-server: \($0)") }
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(arguments: Array(CommandLine.arguments.dropFirst()),
                                                          environment: ProcessInfo.processInfo.environment)
        } catch {
            log("pinn-server: \(error)")
            exit(2)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        log("pinn-server: configuration " + String(decoding: try! encoder.encode(configuration), as: UTF8.self))
        let server: PINNServer
        do {
            server = try PINNServer(configuration: configuration)
            try server.start()
        } catch {
            log("pinn-server: cannot start: \(error)")
            exit(1)
        }
        log("pinn-server: OpenBLAS kernels \(BLASKernels.core)")
        log("pinn-server: listening on http://\(configuration.host):\(server.port ?? configuration.port)")
        log("pinn-server: store \(configuration.store == nil ? "SQLite" : "PostgreSQL") \(configuration.storeLocation)")
        if server.storeIsReadOnly {
            log("pinn-server: the store \(configuration.storePath) is read-only: reads are served, writes answer 503 "
                + "until it is writable again (no restart needed)")
        }
        if configuration.tokens.isEmpty {
            if !["127.0.0.1", "::1"].contains(configuration.host) {
                log("pinn-server: warning: no API tokens, and \(configuration.host) is not loopback: anyone who can "
                    + "reach it may submit, read and delete jobs (docs/api.md, \"Authentication\")")
            }
        } else {
            log("pinn-server: API tokens required for \(configuration.auth == .all ? "every route" : "writes") "
                + "(tokens: \(configuration.tokens.names.joined(separator: ", ")))")
        }

        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                log("pinn-server: stopping (running jobs are checkpointed and resume on the next start)")
                server.stop()
                log("pinn-server: stopped")
                exit(0)
            }
            source.resume()
            sources.append(source)
        }
        withExtendedLifetime(sources) { dispatchMain() }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
