// embed-files: writes a Swift source that holds text files as string literals, so a target serves them from its
// own binary. The EmbedDashboard plugin runs it at build time over Sources/PINNService/Dashboard/Web.
//
//     embed-files OUTPUT.swift TYPE FILE...
//
// writes `extension TYPE { static let embeddedFiles: [String: String] }`, keyed by file name. Each file is a
// multi-line raw string literal: Swift compiles a 100 kB one in milliseconds, where the same bytes as a `[UInt8]`
// array literal (SwiftPM's `.embedInCode` resources) take ~12 s of type checking in a release build.
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("embed-files: \(message)\n".utf8))
    exit(1)
}

/// `text` as a raw multi-line literal whose value is exactly `text`: enough `#`s that no `"""#…` or `\#…` inside
/// it ends the literal or starts an escape; the line break before the closing delimiter is not part of the value.
func rawLiteral(_ text: String, path: String) -> String {
    // A multi-line literal normalises line ends to \n: a file with \r would be served changed.
    guard !text.contains("\r") else { fail("\(path): contains a carriage return (\\r); save it with \\n line ends") }
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3 else { fail("usage: embed-files OUTPUT.swift TYPE FILE...") }
let (output, type, paths) = (arguments[0], arguments[1], arguments.dropFirst(2))

var entries: [String] = []
var names: Set<String> = []
for path in paths.sorted(by: { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }) {
    let name = (path as NSString).lastPathComponent
    guard names.insert(name).inserted else { fail("two files are named \(name)") }
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot be read") }
    guard let text = String(data: data, encoding: .utf8) else { fail("\(path): is not UTF-8 text") }
    entries.append("        \"\(name)\": \(rawLiteral(text, path: path)),\n")
}
let source = """
    // Generated at build time by embed-files (the EmbedDashboard plugin) from \(paths.count) files: do not edit.
    extension \(type) {
        static let embeddedFiles: [String: String] = [
    \(entries.joined())    ]
    }

    """
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    fail("\(output): \(error)")
}
