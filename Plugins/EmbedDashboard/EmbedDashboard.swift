// The build step that puts the dashboard (Sources/PINNService/Dashboard/Web: its page, style sheet and ES modules)
// into the PINNService module as string constants, so the binary serves it with no file beside it
// (docs/architecture.md, "The dashboard").
import Foundation
import PackagePlugin

@main
struct EmbedDashboard: BuildToolPlugin {
    struct MissingPage: Error, CustomStringConvertible {
        let folder: URL
        var description: String { "EmbedDashboard: \(folder.path) has no index.html (the dashboard's page)" }
    }

    /// The files served: the page, style sheets and scripts; tests and Node's package.json live elsewhere.
    static let servedExtensions: Set<String> = ["html", "css", "js"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "Sources/\(target.name)/Dashboard/Web")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { Self.servedExtensions.contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard files.contains(where: { $0.lastPathComponent == "index.html" }) else { throw MissingPage(folder: folder) }
        let output = context.pluginWorkDirectoryURL.appending(path: "DashboardFiles.swift")
        return [.buildCommand(displayName: "Embedding the dashboard (\(files.count) files)",
                              executable: try context.tool(named: "embed-files").url,
                              arguments: [output.path, "DashboardAssets"] + files.map(\.path),
                              inputFiles: files, outputFiles: [output])]
    }
}
