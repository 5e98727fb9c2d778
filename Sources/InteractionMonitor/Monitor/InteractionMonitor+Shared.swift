import Synchronization

extension InteractionMonitor {
    private static let sharedInstance = Locked<InteractionMonitor?>(nil)

    /// The process-wide monitor: created on first use with `configuration`
    /// (default: ``Configuration/init(dataDirectory:keysDirectory:)``) and started.
    /// Later calls return the same instance and ignore `configuration`.
    public static func shared(configuration: @autoclosure () -> Configuration = Configuration()) throws
        -> InteractionMonitor
    {
        try sharedInstance.withLock { current in
            if let current { return current }
            let monitor = try InteractionMonitor(configuration: configuration())
            monitor.start()
            current = monitor
            return monitor
        }
    }

    /// Stops and flushes the process-wide monitor, if any; the next
    /// ``shared(configuration:)`` creates a new one.
    public static func stopShared() async {
        let monitor = sharedInstance.withLock { current in
            defer { current = nil }
            return current
        }
        await monitor?.stop()
    }
}
