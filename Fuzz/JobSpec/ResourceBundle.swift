// Fuzz builds only (compiled into the PINN module by scripts/fuzz.sh): SwiftPM generates `Bundle.module` for a
// target with resources; a plain swiftc build has none, so this one points at the sources' own resource directory
// (Sources/PINN, which holds References/), found from this file's path at compile time.
import Foundation

extension Bundle {
    static let module: Bundle = {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let resources = root.appendingPathComponent("Sources/PINN").path
        guard let bundle = Bundle(path: resources) else { fatalError("no resource directory at \(resources)") }
        return bundle
    }()
}
