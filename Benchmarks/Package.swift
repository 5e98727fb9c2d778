// swift-tools-version:6.1
// Benchmarks live in their own package so that `swift build` / `swift test` of the library never builds the
// benchmark harness. Run: `cd Benchmarks && swift package benchmark` (see the Performance article in Sources/InteractionMonitor/Documentation.docc).
import PackageDescription

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "interaction-monitor", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MonitorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InteractionMonitor", package: "interaction-monitor"),
                .product(name: "InteractionMonitorAnalytics", package: "interaction-monitor"),
                .product(name: "InteractionMonitorTestKit", package: "interaction-monitor"),
            ],
            path: "Benchmarks/MonitorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
