import Foundation

extension Canvas {
    /// Writes the image as a PNG file at `path`, creating missing parent directories.
    public func writePNG(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(png()).write(to: url, options: .atomic)
    }
}
