import Dispatch
import Foundation
import HTTPServer
import PINN
import PINNStore
import Synchronization

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
        var lastStatus: Data?
        var lastSent = Date()
        init(jobID: String, stream: HTTPStream, cursor: EventCursor) {
            (self.jobID, self.stream, self.cursor) = (jobID, stream, cursor)
        }
    }

    private let store: any JobStore
    private let renderStatus: @Sendable (JobRecord) -> Data
    private let encodeRecord: @Sendable (any Encodable) -> Data
    private let queue = DispatchQueue(label: "pinn.events")
    private let listeners = Mutex<[ObjectIdentifier: Listener]>([:])
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

    /// One pass: per job with listeners, one job read, then each listener's missing records.
    private func tick(only key: ObjectIdentifier?) {
        let active = listeners.withLock { all in key.map { k in all[k].map { [$0] } ?? [] } ?? Array(all.values) }
        let byJob = Dictionary(grouping: active, by: \.jobID)
        for (jobID, group) in byJob {
            let job: JobRecord?
            do { job = try store.job(id: jobID) } catch { continue }  // a store error: try again next tick
            for listener in group { update(listener, job: job) }
        }
    }

    private func update(_ listener: Listener, job: JobRecord?) {
        guard let job else {
            listener.stream.send(event("end", id: listener.cursor.text, data: Data(#"{"status":"deleted"}"#.utf8)))
            listener.stream.finish()
            return
        }
        var out: [UInt8] = []
        let status = renderStatus(job)
        // Histories first, then the status (so a status saying "succeeded" follows the last records).
        do {
            var cursor = listener.cursor
            for r in try store.losses(jobID: job.id, from: cursor.loss?.iteration ?? 0, every: 1) {
                let p = EventCursor.Position(iteration: r.iteration, phase: r.phase)
                if let last = cursor.loss, p <= last { continue }
                cursor.loss = p
                out += event("loss", id: cursor.text, data: encodeRecord(r))
            }
            for r in try store.slopes(jobID: job.id, from: cursor.slope?.iteration ?? 0, every: 1) {
                let p = EventCursor.Position(iteration: r.iteration, phase: r.phase)
                if let last = cursor.slope, p <= last { continue }
                cursor.slope = p
                out += event("slopes", id: cursor.text, data: encodeRecord(r))
            }
            for r in try store.errors(jobID: job.id, from: cursor.error?.iteration ?? 0, every: 1) {
                let p = EventCursor.Position(iteration: r.iteration, phase: r.phase)
                if let last = cursor.error, p <= last { continue }
                cursor.error = p
                out += event("error", id: cursor.text, data: encodeRecord(r))
            }
            listener.cursor = cursor
        } catch {
            return  // try again next tick
        }
        if status != listener.lastStatus {
            listener.lastStatus = status
            out += event("status", id: listener.cursor.text, data: status)
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
