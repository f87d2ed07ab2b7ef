import Dispatch
import Foundation
import PINNStore
import Locking

/// Keeps the store from growing without bound: every `intervalSeconds` (and once at start) it purges finished jobs
/// beyond the newest `keep` and those finished more than `maxAgeSeconds` ago, with their histories, checkpoints and
/// results (`JobStore.purgeFinished`). Queued and running jobs are never touched. Store errors are logged and the
/// next round tries again.
public final class JobRetention: Sendable {
    public let keep: Int?
    public let maxAgeSeconds: Double?
    private let store: any JobStore
    private let intervalSeconds: Double
    /// Made by `start()` (a dispatch source must not be released while suspended, so none exists before).
    private let timer = Locked<DispatchSourceTimer?>(nil)

    /// nil (or a non-positive value) for either limit means none of that kind.
    public init(store: any JobStore, keep: Int?, maxAgeSeconds: Double?, intervalSeconds: Double = 60) {
        self.store = store
        self.keep = keep.flatMap { $0 > 0 ? $0 : nil }
        self.maxAgeSeconds = maxAgeSeconds.flatMap { $0 > 0 ? $0 : nil }
        self.intervalSeconds = intervalSeconds
    }

    public func start() {
        guard keep != nil || maxAgeSeconds != nil else { return }
        timer.withLock { timer in
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "pinn-retention"))
            source.schedule(deadline: .now(), repeating: intervalSeconds, leeway: .seconds(1))
            source.setEventHandler { [weak self] in _ = self?.purge() }
            source.resume()
            timer = source
        }
    }

    public func stop() {
        timer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
    }

    /// One round now; returns the ids purged (empty after a logged store error).
    @discardableResult
    public func purge(now: Date = Date()) -> [String] {
        do {
            let purged = try store.purgeFinished(keep: keep, finishedBefore: maxAgeSeconds.map { now.addingTimeInterval(-$0) })
            if !purged.isEmpty {
                FileHandle.standardError.write(Data("pinn-server: retention purged \(purged.count) finished job(s)\n".utf8))
            }
            return purged
        } catch {
            FileHandle.standardError.write(Data("pinn-server: retention failed (retried in a minute): \(error)\n".utf8))
            return []
        }
    }
}
