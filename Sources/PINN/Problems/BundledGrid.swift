import Foundation

/// Reference grids shipped as resources of the PINN module (Sources/PINN/References/, each written by a script of
/// scripts/): u at `nodes` periodic nodes of x times `times` output times, float64 little-endian, t-major.
public enum BundledGrid {
    /// Why a grid could not be read: a broken installation. (When the whole resource bundle
    /// `pinn-service_PINN.resources` is missing — it belongs beside the executable, or in the build directory —
    /// SwiftPM's `Bundle.module` traps before this can be thrown.)
    public struct UnreadableResource: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `References/<resource>.f64`.
    public static func load(resource: String, x: ClosedRange<Double>, nodes: Int, t: ClosedRange<Double>, times: Int,
                            script: String) throws(UnreadableResource) -> GridReferenceSolution {
        let path = "References/\(resource).f64"
        guard let url = Bundle.module.url(forResource: resource, withExtension: "f64", subdirectory: "References") else {
            throw UnreadableResource(description: "\(path) is not among the PINN module's resources")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw UnreadableResource(description: "\(path) could not be read: \(error.localizedDescription)")
        }
        guard let grid = GridReferenceSolution(float64LittleEndian: data, x: x, nodes: nodes, t: t, times: times) else {
            throw UnreadableResource(description: "\(path) has \(data.count) bytes, not the 8 · \(nodes) · \(times) of "
                                     + "its float64 values; regenerate it with \(script)")
        }
        return grid
    }
}
