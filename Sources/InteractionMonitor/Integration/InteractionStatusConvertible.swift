/// An error that says which ``InteractionStatus`` it stands for when `InteractionMonitor.track(_:type:userID:metadata:classify:_:)`
/// records it (for example `.error` for an internal fault, `.timeout` for a deadline).
public protocol InteractionStatusConvertible: Error {
    /// The status to record for this error.
    var interactionStatus: InteractionStatus { get }
}

/// How `track` turns a thrown error into a status: ``InteractionStatusConvertible`` errors decide for themselves;
/// `CancellationError` and errors whose type name says "timeout" / "timed out" become ``InteractionStatus/timeout``;
/// everything else is ``InteractionStatus/failure``. Pass your own function to classify errors as
/// ``InteractionStatus/error``.
public func defaultInteractionStatus(for error: any Error) -> InteractionStatus {
    if let convertible = error as? any InteractionStatusConvertible { return convertible.interactionStatus }
    if error is CancellationError { return .timeout }
    let name = String(describing: type(of: error)).lowercased()
    if name.contains("timeout") || name.contains("timedout") { return .timeout }
    let text = String(describing: error).lowercased()
    if text.contains("timed out") || text.contains("timedout") || text.contains("deadline exceeded") { return .timeout }
    return .failure
}
