import Dispatch
import Foundation

/// Follows a job on the server until it ends (`pinn submit --wait`, `pinn watch ID`): polls its status once a
/// second, draws the progress, and answers the exit status (0 succeeded, 1 failed or cancelled). Ctrl-C stops
/// watching only; the job keeps running on the server.
struct JobWatcher {
    let client: ServiceClient
    let id: String
    var pollSeconds = 1.0
    /// How long the server may stay unreachable (or answer 5xx) before giving up: it may be restarting, and its
    /// jobs resume from their checkpoints.
    var patienceSeconds = 60.0

    func run() throws(ClientError) -> Int32 {
        let progress = RemoteProgress()
        let interruption = stopWatchingOnInterrupt(interactive: isatty(2) != 0)
        defer {
            interruption.cancel()
            signal(SIGINT, SIG_DFL)
        }
        var failingSince: Date?
        while true {
            let job: RemoteJob
            do {
                job = try client.send("GET", "/v1/jobs/\(id)").checked().decoded(RemoteJob.self)
                failingSince = nil
            } catch {
                switch error {
                case .unreachable, .serverFailed:
                    if waitedTooLong(since: &failingSince, error, progress) { throw error }
                    continue
                case .usage, .rejected:
                    progress.finish()
                    throw error
                }
            }
            progress.show(job)
            if job.status.isFinished {
                progress.finish()
                print(RemoteProgress.summary(for: job))
                if let failure = job.failure { PinnCommand.printError("pinn: job \(job.id) \(job.status.rawValue): \(failure)") }
                return job.status == .succeeded ? ClientError.ExitStatus.success : ClientError.ExitStatus.jobUnsuccessful
            }
            Thread.sleep(forTimeInterval: pollSeconds)
        }
    }

    /// Notes a transient failure and sleeps; true once the failures have lasted longer than `patienceSeconds`.
    private func waitedTooLong(since start: inout Date?, _ error: ClientError, _ progress: RemoteProgress) -> Bool {
        let first = start ?? Date()
        start = first
        if Date().timeIntervalSince(first) > patienceSeconds {
            progress.finish()
            return true
        }
        progress.note("pinn: \(error) — retrying")
        Thread.sleep(forTimeInterval: pollSeconds)
        return false
    }

    /// On SIGINT: end the progress line, say the job keeps running, exit 130.
    private func stopWatchingOnInterrupt(interactive: Bool) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let id = self.id
        source.setEventHandler {
            fflush(nil)
            PinnCommand.printError((interactive ? "\n" : "") + "pinn: stopped watching; job \(id) keeps running on the server")
            exit(ClientError.ExitStatus.interrupted)
        }
        source.resume()
        return source
    }
}
