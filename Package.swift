// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "interaction-monitor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "InteractionMonitor", targets: ["InteractionMonitor"]),
        .library(name: "InteractionMonitorTestKit", targets: ["InteractionMonitorTestKit"]),
        .executable(name: "interaction-monitor", targets: ["interaction-monitor"]),
        .library(name: "InteractionMonitorHummingbird", targets: ["InteractionMonitorHummingbird"]),
        .library(name: "InteractionMonitorVapor", targets: ["InteractionMonitorVapor"]),
        .executable(name: "example-server", targets: ["example-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // The only target that imports CSodium (checked by Scripts/soundness.sh).
        .target(name: "MonitorCrypto", dependencies: ["CSodium"]),
        .target(
            name: "InteractionMonitor",
            dependencies: [
                "MonitorCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "InteractionMonitorTestKit", dependencies: ["InteractionMonitor", "MonitorCrypto"]),
        .target(
            name: "InteractionMonitorCLI",
            dependencies: [
                "InteractionMonitor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "interaction-monitor", dependencies: ["InteractionMonitorCLI"]),
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
            dependencies: ["InteractionMonitor", "InteractionMonitorTestKit", "MonitorCrypto"],
            // The labelled PII corpus is read through #filePath, not as a resource.
            exclude: [
                "Privacy/pii-corpus.jsonl", "Privacy/make_corpus.py", "Privacy/pii-holdout.jsonl",
                "Privacy/make_holdout.py", "Privacy/measure_corpus.py",
            ]
        ),
        .testTarget(
            name: "InteractionMonitorCLITests",
            dependencies: ["InteractionMonitorCLI", "InteractionMonitor"]
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

for target in package.targets where [.regular, .test, .executable].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))  // SE-0335
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))  // SE-0444
    target.swiftSettings = settings
}
