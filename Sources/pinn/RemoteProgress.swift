import Foundation

/// The progress of a job on the server, drawn from its status on standard error:
/// `[#####-----] 45% phase 2/2 it 2250/5000 loss 1.2e-04 [pde 1.1e-04 initial 3e-06 boundary 2e-06] L2 3.4e-04 ETA 31s`.
/// On a terminal the line is redrawn in place; otherwise (a log, a pipe) a plain line is printed every
/// `plainInterval` seconds and whenever the status changes.
final class RemoteProgress {
    private let interactive: Bool
    private let plainInterval: Double
    private var lastPlainLine = -Double.infinity
    private var lastStatus: RemoteJob.Status?
    private var drawn = false

    init(interactive: Bool = isatty(2) != 0, plainInterval: Double = 10) {
        self.interactive = interactive
        self.plainInterval = plainInterval
    }

    func show(_ job: RemoteJob) {
        if interactive {
            let line = Self.line(for: job, width: Self.terminalColumns() - 1)
            FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
            drawn = true
        } else {
            let now = Date().timeIntervalSinceReferenceDate
            guard job.status != lastStatus || now - lastPlainLine >= plainInterval else { return }
            lastPlainLine = now
            FileHandle.standardError.write(Data((Self.line(for: job) + "\n").utf8))
        }
        lastStatus = job.status
    }

    /// A note between status lines (the server is unreachable, …).
    func note(_ message: String) {
        if interactive {
            FileHandle.standardError.write(Data(("\r" + message + "\u{1B}[K").utf8))
            drawn = true
        } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
    }

    /// Ends the redrawn line, leaving the last state on screen.
    func finish() {
        if interactive && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }

    // MARK: - The line

    /// The progress line; when it is wider than `width`, the loss terms go first, then the tail is cut.
    static func line(for job: RemoteJob, width: Int = .max) -> String {
        let filled = Int((job.fraction * 10).rounded(.down))
        var head = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 10 - filled) + "] "
            + String(job.percent).leftPadded(to: 3) + "% "
        guard job.status == .running || job.status.isFinished else { return head + job.status.rawValue }
        if job.status != .running { head += job.status.rawValue + " " }
        head += job.phaseLabel + " it \(job.progress.iteration)/\(job.progress.totalIterations)"
        if let total = job.loss?["total"] { head += " loss " + scientific(total) }
        let terms = job.lossTerms.map { "\($0.name) \(scientific($0.value, digits: 1))" }.joined(separator: " ")
        var tail = ""
        if let error = job.error { tail += " L2 " + scientific(error.relativeL2) }
        if let eta = job.etaSeconds, job.status == .running { tail += " ETA " + duration(eta) }
        let full = head + (terms.isEmpty ? "" : " [\(terms)]") + tail
        if full.count <= width { return full }
        let short = head + tail
        return short.count <= width ? short : String(short.prefix(max(0, width)))
    }

    /// The closing line of `--wait` and `watch`: status, iterations, final error, seconds.
    static func summary(for job: RemoteJob) -> String {
        var line = "job \(job.id) \(job.status.rawValue): \(job.progress.iteration)/\(job.progress.totalIterations) iterations"
        if let error = job.error { line += ", final L2 " + scientific(error.relativeL2) }
        if let seconds = job.elapsedSeconds { line += String(format: ", %.1f s", seconds) }
        return line
    }

    static func scientific(_ x: Double, digits: Int = 2) -> String {
        x.isFinite ? String(format: "%.\(digits)e", x) : "\(x)"
    }

    /// 31s, 5m12s, 1h05m.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + String(format: "%02ds", s % 60) }
        return "\(s / 3600)h" + String(format: "%02dm", s % 3600 / 60)
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
