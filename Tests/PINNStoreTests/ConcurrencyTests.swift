import Locking
import Dispatch
import Foundation
import Testing
import PINNStore

@Suite struct ConcurrencyTests {
    @Test(arguments: StoreKind.contract)
    func concurrentBatchAppendsAllLandInOrder(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let threads = 8, batches = 25, batchSize = 8
        let ids = try (0..<threads).map { _ in try store.create(spec: StoreFixtures.spec).id }
        let shared = try store.create(spec: StoreFixtures.spec).id
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            do {
                for batch in 0..<batches {
                    let own = (0..<batchSize).map { StoreFixtures.loss(batch * batchSize + $0) }
                    try store.appendLosses(jobID: ids[thread], own, termNames: StoreFixtures.termNames)
                    // Interleaved iterations of one job from every thread: thread t owns iterations ≡ t (mod threads).
                    let interleaved = (0..<batchSize).map {
                        StoreFixtures.loss((batch * batchSize + $0) * threads + thread)
                    }
                    try store.appendLosses(jobID: shared, interleaved, termNames: StoreFixtures.termNames)
                    try store.updateProgress(jobID: ids[thread],
                                             JobProgress(phase: 0, iteration: batch, totalIterations: batches))
                    _ = try store.list(status: nil, limit: 5, offset: 0)
                }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let expected = (0..<batches * batchSize).map { StoreFixtures.loss($0) }
        for id in ids { #expect(try store.losses(jobID: id) == expected) }
        #expect(try store.losses(jobID: shared).map(\.iteration) == Array(0..<threads * batches * batchSize))
    }

    @Test(arguments: StoreKind.contract)
    func racingWorkersClaimAJobOnlyOnce(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let id = try store.create(spec: StoreFixtures.spec).id
        let claims = Failures()
        let others = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do throws(StoreError) {
                try store.markRunning(jobID: id)
                claims.append("claimed")
            } catch {
                // Every loser must lose to the winner's transition, not to a fault of the store.
                if error != .invalidTransition(jobID: id, from: .running, to: .running) { others.append("\(error)") }
            }
        }
        #expect(claims.all.count == 1)
        #expect(others.all.isEmpty)
    }
}

/// Collects messages from many threads (the test's own bookkeeping, not the store's).
final class Failures: Sendable {
    private let messages = Locked<[String]>([])
    func append(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
}
