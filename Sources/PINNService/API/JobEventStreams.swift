import Dispatch
import Foundation
import HTTPServer
import PINN
import PINNStore
import Locking

/// The Server-Sent Event streams of jobs (`GET /v1/jobs/{id}/events`): one timer, on its own queue, reads the store
/// for every job that has listeners and sends each listener what it has not seen — status changes, loss, slope
/// and error records — then `end` once the job has finished and its history is sent. Streams hold no thread
/// (`HTTPStream` suspends idle connections) and no worker; everything they send comes from the store, so a stream
/// shows the same as polling and a reconnect (`Last-Event-ID`) misses nothing stored.
final class JobEventStreams: Sendable {
    private final class Listener: @unchecked Sendable {
        let jobID: String
        let stream: HTTPStream
        /// Touched only on `queue`.
        var cursor: EventCursor
        /// What the last status event reported (status, progress, latest loss and error): a status event is sent
        /// when this changes, not when only the elapsed time does.
        var lastStatus: String?
        var lastSent = Date()
        init(jobID: String, stream: HTTPStream, cursor: EventCursor) {
            (self.jobID, self.stream, self.cursor) = (jobID, stream, cursor)
        }
    }

    private let store: any JobStore
    private let renderStatus: @Sendable (JobRecord) -> Data
    private let encodeRecord: @Sendable (any Encodable) -> Data
    private let queue = DispatchQueue(label: "pinn.events")
    private let listeners = Locked<[ObjectIdentifier: Listener]>([:])
    nonisolated(unsafe) private let timer: DispatchSourceTimer
    private let keepAliveSeconds: Double

    init(store: any JobStore, intervalSeconds: Double = 0.5, keepAliveSeconds: Double = 15,
         renderStatus: @escaping @Sendable (JobRecord) -> Data, encodeRecord: @escaping @Sendable (any Encodable) -> Data) {
        self.store = store
        self.renderStatus = renderStatus
        self.encodeRecord = encodeRecord
        self.keepAliveSeconds = keepAliveSeconds
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + intervalSeconds, repeating: intervalSeconds)
        timer.setEventHandler { [weak self] in self?.tick(only: nil) }
        timer.resume()
    }

    deinit { timer.cancel() }

    var count: Int { listeners.withLock { $0.count } }

    /// Starts streaming `jobID` from `cursor` into `stream`; the first events go out at once.
    func add(jobID: String, stream: HTTPStream, cursor: EventCursor) {
        let listener = Listener(jobID: jobID, stream: stream, cursor: cursor)
        let key = ObjectIdentifier(listener)
        listeners.withLock { $0[key] = listener }
        stream.onClose { [weak self] in _ = self?.listeners.withLock { $0.removeValue(forKey: key) } }
        stream.send(Array("retry: 2000\n\n".utf8))
        queue.async { [weak self] in self?.tick(only: key) }
    }

    /// One pass: per job with listeners, one read of the job and of each history from the earliest listener's
    /// position, each record encoded once; then every listener is sent what it has not seen.
    private func tick(only key: ObjectIdentifier?) {
        let active = listeners.withLock { all in key.map { k in all[k].map { [$0] } ?? [] } ?? Array(all.values) }
        for (jobID, group) in Dictionary(grouping: active, by: \.jobID) {
            let job: JobRecord?
            let batch: Batch
            do {
                job = try store.job(id: jobID)
                batch = try job.map { try Batch(store: store, jobID: $0.id, from: group.map(\.cursor),
                                                encode: encodeRecord) } ?? Batch()
            } catch {
                continue  // a store error: try again next tick
            }
            let status = job.map { (key: Self.statusKey($0), data: renderStatus($0)) }
            for listener in group { update(listener, job: job, status: status, batch: batch) }
        }
    }

    /// A job's records from the earliest position any of its listeners needs, encoded once.
    private struct Batch {
        typealias Encoded = (position: EventCursor.Position, data: Data)
        var losses: [Encoded] = []
        var slopes: [Encoded] = []
        var errors: [Encoded] = []

        init() {}

        init(store: any JobStore, jobID: String, from cursors: [EventCursor],
             encode: (any Encodable) -> Data) throws {
            func start(_ positions: [EventCursor.Position?]) -> Int {
                positions.contains { $0 == nil } ? 0 : positions.map { $0!.iteration }.min() ?? 0
            }
            losses = try store.losses(jobID: jobID, from: start(cursors.map(\.loss)), every: 1)
                .map { (.init(iteration: $0.iteration, phase: $0.phase), encode($0)) }
            slopes = try store.slopes(jobID: jobID, from: start(cursors.map(\.slope)), every: 1)
                .map { (.init(iteration: $0.iteration, phase: $0.phase), encode($0)) }
            errors = try store.errors(jobID: jobID, from: start(cursors.map(\.error)), every: 1)
                .map { (.init(iteration: $0.iteration, phase: $0.phase), encode($0)) }
        }
    }

    private static func statusKey(_ job: JobRecord) -> String {
        "\(job.status.rawValue) \(job.progress.phase) \(job.progress.iteration) \(job.latestLoss?.iteration ?? -1) "
            + "\(job.latestError?.iteration ?? -1) \(job.failure ?? "")"
    }

    private func update(_ listener: Listener, job: JobRecord?, status: (key: String, data: Data)?, batch: Batch) {
        guard let job, let status else {
            listener.stream.send(event("end", id: listener.cursor.text, data: Data(#"{"status":"deleted"}"#.utf8)))
            listener.stream.finish()
            return
        }
        var out: [UInt8] = []
        // Histories first, then the status (so a status saying "succeeded" follows the last records).
        var cursor = listener.cursor
        for record in batch.losses where cursor.loss.map({ record.position > $0 }) ?? true {
            cursor.loss = record.position
            out += event("loss", id: cursor.text, data: record.data)
        }
        for record in batch.slopes where cursor.slope.map({ record.position > $0 }) ?? true {
            cursor.slope = record.position
            out += event("slopes", id: cursor.text, data: record.data)
        }
        for record in batch.errors where cursor.error.map({ record.position > $0 }) ?? true {
            cursor.error = record.position
            out += event("error", id: cursor.text, data: record.data)
        }
        listener.cursor = cursor
        if status.key != listener.lastStatus {
            listener.lastStatus = status.key
            out += event("status", id: listener.cursor.text, data: status.data)
        }
        let finished = [.succeeded, .failed, .cancelled].contains(job.status)
        if finished {
            out += event("end", id: listener.cursor.text, data: Data(#"{"status":"\#(job.status.rawValue)"}"#.utf8))
        } else if out.isEmpty && Date().timeIntervalSince(listener.lastSent) >= keepAliveSeconds {
            out = Array(": keepalive\n\n".utf8)
        }
        guard !out.isEmpty else { return }
        listener.lastSent = Date()
        if !listener.stream.send(out) { return }
        if finished { listener.stream.finish() }
    }

    private func event(_ name: String, id: String, data: Data) -> [UInt8] {
        Array("id: \(id)\nevent: \(name)\ndata: ".utf8) + Array(data) + Array("\n\n".utf8)
    }
}
