/// Where a client's event stream stands in each history: the last (iteration, phase) of loss, slope and error
/// records it was sent. It is every event's SSE `id`, so a client reconnecting with `Last-Event-ID` resumes
/// exactly after what it had, history by history (the histories are flushed separately, so one number would
/// not do). Text form: `l<iteration>.<phase>-s<iteration>.<phase>-e<iteration>.<phase>`, `_` for "nothing yet".
struct EventCursor: Equatable, Sendable {
    struct Position: Equatable, Comparable, Sendable {
        let iteration: Int
        let phase: Int
        static func < (a: Position, b: Position) -> Bool { (a.iteration, a.phase) < (b.iteration, b.phase) }
    }

    var loss: Position?
    var slope: Position?
    var error: Position?

    init(loss: Position? = nil, slope: Position? = nil, error: Position? = nil) {
        (self.loss, self.slope, self.error) = (loss, slope, error)
    }

    /// Skips every record up to `iteration` (`?since=`).
    init(since iteration: Int) {
        let position = Position(iteration: iteration, phase: Int.max)
        self.init(loss: position, slope: position, error: position)
    }

    var text: String {
        func part(_ tag: String, _ p: Position?) -> String { tag + (p.map { "\($0.iteration).\($0.phase)" } ?? "_") }
        return [part("l", loss), part("s", slope), part("e", error)].joined(separator: "-")
    }

    /// Nil for text that is not a cursor.
    init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var positions: [Position?] = []
        for (part, tag) in zip(parts, ["l", "s", "e"]) {
            guard part.hasPrefix(tag) else { return nil }
            let rest = part.dropFirst()
            if rest == "_" { positions.append(nil); continue }
            let numbers = rest.split(separator: ".")
            guard numbers.count == 2, let i = Int(numbers[0]), let p = Int(numbers[1]), i >= 0, p >= 0 else { return nil }
            positions.append(Position(iteration: i, phase: p))
        }
        self.init(loss: positions[0], slope: positions[1], error: positions[2])
    }
}
