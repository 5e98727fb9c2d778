import InteractionMonitor
/// A privacy-loss amount ε kept exactly, in millionths (so budgets add and subtract without floating-point drift).
///
/// Written and parsed as a decimal with at most six fractional digits (`0.5`, `1`, `0.125`); anything finer, zero,
/// negative or not a number is refused.
public struct PrivacyAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// ε × 1,000,000.
    public var micros: Int64

    /// The amount as a floating-point number (for computing public parameters such as thresholds; never for noise).
    public var value: Double { Double(micros) / 1_000_000 }

    /// An amount of `micros` millionths.
    public init(micros: Int64) { self.micros = micros }

    /// Parses a decimal ε such as `0.5`.
    /// - Throws: `InteractionMonitorError` (`.configuration`) for an empty, negative, zero, over-precise or
    ///   too-large value.
    public init(parsing text: String) throws {
        let bad = InteractionMonitorError(
            .configuration, "epsilon must be a positive decimal with at most 6 decimals, at most 1000000 (got '\(text.prefix(40))')")
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty || parts.count == 2, whole.count <= 7,
            whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw bad }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 6, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty
        else { throw bad }
        let w = Int64(whole.isEmpty ? "0" : String(whole)) ?? -1
        let f = Int64((String(fraction) + String(repeating: "0", count: 6 - fraction.count))) ?? -1
        guard w >= 0, f >= 0, w <= 1_000_000 else { throw bad }
        micros = w * 1_000_000 + f
        guard micros > 0 else { throw bad }
    }

    /// The decimal form (`0.5`, `2`, `0.000001`).
    public var description: String {
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }

    public static func < (a: PrivacyAmount, b: PrivacyAmount) -> Bool { a.micros < b.micros }
    public static func + (a: PrivacyAmount, b: PrivacyAmount) -> PrivacyAmount { PrivacyAmount(micros: a.micros + b.micros) }
}
