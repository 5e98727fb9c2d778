import ServiceLifecycle

/// A monitor is a swift-service-lifecycle `Service`: add it to your `ServiceGroup` and the group starts its
/// background flushing and, on graceful shutdown (SIGTERM) or cancellation, stops it with a final flush.
///
/// ```swift
/// let group = ServiceGroup(services: [monitor, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
extension InteractionMonitor: Service {
    /// Starts the monitor, waits for graceful shutdown (or cancellation), then stops it with a final flush.
    public func run() async throws {
        start()
        try? await gracefulShutdown()
        await stop()
    }
}
