// swift-tools-version:6.0
// pinn-service: physics-informed neural networks with adaptive activations, as a library, a CLI and (later) a service.
// Layers, bottom to top: C bindings → numerics → the PINN engine → executables.
import PackageDescription

let optimisedC: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd"])]
// The engine is generic over Float/Double and called from other modules: let release builds specialise across
// module boundaries (otherwise per-element Swift loops run through witness tables).
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "pinn-service",
    products: [
        // MARK: - Public API
        .library(name: "PINN", targets: ["PINN"]),
        .library(name: "PINNNumerics", targets: ["PINNNumerics"]),
        .library(name: "PINNExpressions", targets: ["PINNExpressions"]),
        .library(name: "PINNPlot", targets: ["PINNPlot"]),
        .library(name: "PINNFigures", targets: ["PINNFigures"]),
        .library(name: "PINNStore", targets: ["PINNStore"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
        .executable(name: "pinn", targets: ["pinn"]),
        .executable(name: "pinn-bench", targets: ["pinn-bench"]),
        .executable(name: "pinn-server", targets: ["pinn-server"]),
    ],
    targets: [
        // MARK: - C bindings
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CPINNKernels", cSettings: optimisedC),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libpq, PostgreSQL's client library: the store shared by several servers (PostgresJobStore).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // libmicrohttpd, plus a non-variadic daemon start (MHD_start_daemon is variadic, so Swift can't call it).
        .target(name: "CMicroHTTPD", linkerSettings: [.linkedLibrary("microhttpd")]),

        // MARK: - Numerics and the engine
        .target(name: "PINNNumerics", dependencies: ["CBLAS", "CPINNKernels"], swiftSettings: crossModule),
        // The expression language of problem specs: parsed, checked, compiled to a tape with adjoints.
        .target(name: "PINNExpressions", swiftSettings: crossModule),
        // References/: reference solutions computed by scripts (allen-cahn-reference.py), read via Bundle.module.
        .target(name: "PINN", dependencies: ["PINNNumerics", "PINNExpressions", "CZlib"], resources: [.copy("References")],
                swiftSettings: crossModule),

        // Figures as PNG (line plots on log axes, heatmaps), for docs/paper.md and later the dashboard.
        .target(name: "PINNPlot", dependencies: ["CZlib"]),
        // A job's solution and histories as PNG figures (the service's pictures, the CLI's experiment figures).
        .target(name: "PINNFigures", dependencies: ["PINN", "PINNPlot"]),

        // MARK: - The service
        // `Locked`, the lock type of the service: a pthread mutex, which ThreadSanitizer sees (Locked.swift).
        .target(name: "Locking"),
        .target(name: "PINNStore", dependencies: ["PINN", "CSQLite", "CLibPQ", "Locking"]),
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "Locking"]),
        // Dashboard/Web (the dashboard's page, style sheet and ES modules) is not Swift: EmbedDashboard compiles it in.
        .target(name: "PINNService", dependencies: ["PINN", "PINNStore", "HTTPServer", "PINNFigures", "Locking"],
                exclude: ["Dashboard/Web"], plugins: ["EmbedDashboard"]),

        // MARK: - Build tools
        // Text files as Swift string literals, run at build time by the EmbedDashboard plugin (Plugins/).
        .executableTarget(name: "embed-files"),
        .plugin(name: "EmbedDashboard", capability: .buildTool(), dependencies: ["embed-files"]),

        // MARK: - Executables
        .executableTarget(name: "pinn", dependencies: ["PINN", "PINNPlot", "PINNFigures", "Locking"]),
        .executableTarget(name: "pinn-bench", dependencies: ["PINN", "PINNNumerics", "PINNPlot", "CBLAS"]),
        .executableTarget(name: "pinn-server", dependencies: ["PINNService", "PINNNumerics"]),

        // MARK: - Tests
        // What several test targets share: an independent PNG reader, the model export's formula.
        .target(name: "PINNTestSupport", dependencies: ["PINN", "PINNPlot", "CZlib"], path: "Tests/PINNTestSupport"),
        .testTarget(name: "PINNNumericsTests", dependencies: ["PINNNumerics", "CPINNKernels"]),
        .testTarget(name: "PINNPlotTests", dependencies: ["PINNPlot", "CZlib", "PINNTestSupport"]),
        .testTarget(name: "PINNExpressionsTests", dependencies: ["PINNExpressions"]),
        .testTarget(name: "PINNTests", dependencies: ["PINN", "PINNTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PINNStoreTests", dependencies: ["PINNStore", "Locking"]),
        .testTarget(name: "PINNServiceTests", dependencies: ["PINNService", "PINNTestSupport", "Locking"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Locking"]),
    ]
)
