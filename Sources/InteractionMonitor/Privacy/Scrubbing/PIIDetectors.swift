/// Namespace for the scrubber's hand-written detectors.
///
/// Each detector inspects one anchor position of a ``PIIBytes`` buffer and returns
/// the span to replace (or `nil`). Detectors only look at a small bounded window
/// around their anchor; the PEM detector, which searches forward for its `END`
/// line, consumes everything it scans. The driving loop (``PIIScanner``) never
/// revisits consumed bytes, so a whole scrub pass is linear in the input length.
enum PIIDetectors {}
