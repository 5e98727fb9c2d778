// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "interaction-monitor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "InteractionMonitor", targets: ["InteractionMonitor"]),
        .library(name: "InteractionMonitorAnalytics", targets: ["InteractionMonitorAnalytics"]),
        .library(name: "InteractionMonitorTestKit", targets: ["InteractionMonitorTestKit"]),
        .library(name: "InteractionMonitorArgumentParser", targets: ["InteractionMonitorArgumentParser"]),
        .executable(name: "interaction-monitor", targets: ["interaction-monitor"]),
        .library(name: "InteractionMonitorHummingbird", targets: ["InteractionMonitorHummingbird"]),
        .library(name: "InteractionMonitorVapor", targets: ["InteractionMonitorVapor"]),
        .executable(name: "example-server", targets: ["example-server"]),
        .library(name: "InteractionMonitorPostgres", targets: ["InteractionMonitorPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // The only target that imports CSodium (checked by Scripts/soundness.sh).
        .target(name: "MonitorCrypto", dependencies: ["CSodium"]),
        // glibc heap statistics for `bench` (buffered_bytes_per_1000).
        .target(name: "CHeapStats"),
        .target(
            name: "InteractionMonitor",
            dependencies: [
                "MonitorCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The analytics built on the reader: analyzers, live detection, experiments, segments, predictions, private
        // releases and the report. Apps that only record never link it.
        .target(
            name: "InteractionMonitorAnalytics",
            dependencies: ["InteractionMonitor", "MonitorCrypto", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "InteractionMonitorArgumentParser",
            dependencies: [
                "InteractionMonitor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // An instrumented command-line tool (README's snippet); the integration tests run it.
        .executableTarget(
            name: "example-cli",
            dependencies: ["InteractionMonitorArgumentParser", "InteractionMonitor"],
            path: "Examples/ExampleCLI"
        ),
        .target(name: "InteractionMonitorTestKit", dependencies: ["InteractionMonitor", "MonitorCrypto"]),
        .target(
            name: "InteractionMonitorCLI",
            dependencies: [
                "InteractionMonitor", "InteractionMonitorAnalytics", "CHeapStats",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "interaction-monitor", dependencies: ["InteractionMonitorCLI"]),
        // The PostgreSQL store: its own target so the core library never depends on NIO or a database driver.
        .target(
            name: "InteractionMonitorPostgres",
            dependencies: [
                "InteractionMonitor",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Web framework middleware: separate targets so the core library never depends on a framework.
        // InteractionMonitorHTTP holds the recording rules both share (`package` access, no framework).
        .target(name: "InteractionMonitorHTTP", dependencies: ["InteractionMonitor"]),
        .target(
            name: "InteractionMonitorHummingbird",
            dependencies: [
                "InteractionMonitor", "InteractionMonitorHTTP", .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "InteractionMonitorVapor",
            dependencies: ["InteractionMonitor", "InteractionMonitorHTTP", .product(name: "Vapor", package: "vapor")]
        ),
        // The example server's setup lives in a library so its tests exercise the exact routes it serves.
        .target(
            name: "ExampleServerSupport",
            dependencies: [
                "InteractionMonitor", "InteractionMonitorHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Examples/ExampleServerSupport"
        ),
        .executableTarget(
            name: "example-server",
            dependencies: [
                "ExampleServerSupport", "InteractionMonitor",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Examples/ExampleServer"
        ),
        .testTarget(name: "MonitorCryptoTests", dependencies: ["MonitorCrypto"]),
        .testTarget(
            name: "InteractionMonitorTests",
            dependencies: ["InteractionMonitor", "InteractionMonitorAnalytics", "InteractionMonitorTestKit", "MonitorCrypto"],
            // The labelled PII corpus is read through #filePath, not as a resource.
            exclude: [
                "Privacy/pii-corpus.jsonl", "Privacy/make_corpus.py", "Privacy/pii-holdout.jsonl",
                "Privacy/make_holdout.py", "Privacy/measure_corpus.py", "Privacy/pii-blind.jsonl",
                "Privacy/make_blind.py", "Privacy/pii-blind-beyond.jsonl", "Privacy/make_blind_beyond.py",
            ]
        ),
        .testTarget(
            name: "InteractionMonitorCLITests",
            dependencies: ["InteractionMonitorCLI", "InteractionMonitor"]
        ),
        // Runs against a real server named by INTERACTION_MONITOR_TEST_POSTGRES (Scripts/start-postgres.sh); skips without.
        .testTarget(
            name: "InteractionMonitorPostgresTests",
            dependencies: [
                "InteractionMonitorPostgres", "InteractionMonitor", "InteractionMonitorTestKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "InteractionMonitorIntegrationTests",
            dependencies: [
                "InteractionMonitor", "InteractionMonitorTestKit", "InteractionMonitorArgumentParser",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "InteractionMonitorHummingbirdTests",
            dependencies: [
                "InteractionMonitorHummingbird", "InteractionMonitor", "InteractionMonitorTestKit",
                "ExampleServerSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "InteractionMonitorVaporTests",
            dependencies: [
                "InteractionMonitorVapor", "InteractionMonitor", "InteractionMonitorTestKit",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Sanitizer runs in Scripts/test.sh build only the core (IM_CORE_ONLY=1): the web-framework integrations are a
// long build each time and are tested in the normal run.
if Context.environment["IM_CORE_ONLY"] == "1" {
    let frameworkTargets = Set(package.targets.map(\.name).filter { $0.contains("Hummingbird") || $0.contains("Vapor") || $0.hasPrefix("ExampleServer") || $0 == "example-server" })
    package.targets.removeAll { frameworkTargets.contains($0.name) }
    package.products.removeAll { p in p.name.contains("Hummingbird") || p.name.contains("Vapor") || p.name == "example-server" }
    package.dependencies.removeAll { d in
        guard case .sourceControl(_, let location, _) = d.kind else { return false }
        return location.contains("hummingbird") || (location.contains("vapor") && !location.contains("postgres-nio"))
    }
}

// The PostgreSQL store pulls in SwiftNIO, swift-crypto and BoringSSL: a long build under a sanitizer, for code that
// is tested in the normal run. IM_NO_POSTGRES=1 (Scripts/test.sh's sanitizer stages) leaves it out; the CLI then
// builds without `--store postgres://` (its code checks the IM_POSTGRES condition set below).
if Context.environment["IM_NO_POSTGRES"] == "1" {
    package.targets.removeAll { $0.name.contains("Postgres") }
    package.products.removeAll { $0.name.contains("Postgres") }
    package.dependencies.removeAll { d in
        guard case .sourceControl(_, let location, _) = d.kind else { return false }
        return location.contains("postgres-nio") || location.hasSuffix("swift-nio") || location.contains("swift-nio-ssl")
    }
} else if let cli = package.targets.first(where: { $0.name == "InteractionMonitorCLI" }) {
    cli.dependencies.append("InteractionMonitorPostgres")
    cli.swiftSettings = (cli.swiftSettings ?? []) + [.define("IM_POSTGRES")]
}

// `serve` (the live dashboard) is built on Hummingbird and SwiftNIO: only when both are in the package (not in the
// sanitizer and fuzzing builds, IM_CORE_ONLY=1 / IM_NO_POSTGRES=1); its code checks the IM_SERVE condition.
if let cli = package.targets.first(where: { $0.name == "InteractionMonitorCLI" }) {
    cli.dependencies.append("MonitorCrypto")
    if Context.environment["IM_CORE_ONLY"] != "1" && Context.environment["IM_NO_POSTGRES"] != "1" {
        cli.dependencies.append(.product(name: "Hummingbird", package: "hummingbird"))
        cli.dependencies.append(.product(name: "NIOCore", package: "swift-nio"))
        cli.swiftSettings = (cli.swiftSettings ?? []) + [.define("IM_SERVE")]
    }
}

// libFuzzer harness (Scripts/fuzz.sh): only when IM_FUZZ=1, because it has no `main` of its own — libFuzzer's is
// linked in by `-sanitize=fuzzer`.
if Context.environment["IM_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "im-fuzz",
            dependencies: ["InteractionMonitor", "InteractionMonitorCLI", "InteractionMonitorTestKit"],
            path: "Fuzz/IMFuzz"
        ))
}

for target in package.targets where [.regular, .test, .executable].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))  // SE-0335
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))  // SE-0444
    target.swiftSettings = settings
}
