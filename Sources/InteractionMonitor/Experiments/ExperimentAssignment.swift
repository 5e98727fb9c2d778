internal import MonitorCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Deterministic assignment of users to experiment variants (scheme `v1`, documented with test vectors in
/// SECURITY.md so servers in other languages can reproduce it):
///
/// 1. `message` = the experiment name's UTF-8 length as a 4-byte big-endian integer, the experiment name's UTF-8
///    bytes, then the user id's UTF-8 bytes (the length prefix keeps `("ab","c")` and `("a","bc")` apart);
/// 2. `digest` = BLAKE2b (RFC 7693) of `message` with a 16-byte output, keyed with the *assignment key*;
/// 3. `bucket` = the first 8 digest bytes read as a big-endian unsigned integer, modulo 10,000;
/// 4. with integer weights w₀…wₙ₋₁ (total W), variant i owns buckets [⌊10000·(w₀+…+wᵢ₋₁)/W⌋, ⌊10000·(w₀+…+wᵢ)/W⌋).
///
/// The assignment key never rotates, so answers survive restarts and key rotations of the keyring. By default it
/// is the public 32-byte ASCII string `interaction-monitor/experiment/1` (an unkeyed-but-salted hash); an operator
/// may set a secret key of 16–64 bytes (hex in `INTERACTION_MONITOR_EXPERIMENT_KEY`) so that nobody without it can
/// tell which variant a guessed user id falls in — see SECURITY.md for the trade-off. Not for anything
/// security-relevant beyond that.
public struct ExperimentAssignment: Sendable {
    /// The scheme version recorded in documentation and exposures.
    public static let scheme = "v1"
    /// Number of buckets.
    public static let buckets = 10_000
    /// The public default key (32 ASCII bytes).
    public static let publicKey = "interaction-monitor/experiment/1"
    /// The environment variable holding a secret assignment key in hex.
    public static let environmentVariable = "INTERACTION_MONITOR_EXPERIMENT_KEY"

    private let key: [UInt8]
    /// Whether the public default key is used.
    public let usesPublicKey: Bool

    /// The assignment with the public default key.
    public static let standard = ExperimentAssignment(checkedKey: Array(publicKey.utf8))

    /// The assignment with a secret key of 16–64 bytes.
    public init(key bytes: [UInt8]) throws {
        guard (16...64).contains(bytes.count) else {
            throw InteractionMonitorError(.configuration, "the experiment assignment key must be 16 to 64 bytes")
        }
        self.init(checkedKey: bytes)
    }

    private init(checkedKey bytes: [UInt8]) {
        key = bytes
        usesPublicKey = bytes == Array(Self.publicKey.utf8)
    }

    /// The key from `INTERACTION_MONITOR_EXPERIMENT_KEY` (hex) when set, else ``standard``.
    public static func fromEnvironment() throws -> ExperimentAssignment {
        guard let raw = getenv(environmentVariable) else { return standard }
        let text = String(cString: raw).trimmingWhitespace()
        guard !text.isEmpty else { return standard }
        guard let bytes = Self.hexBytes(text) else {
            throw InteractionMonitorError(.configuration, "\(environmentVariable) must be 32 to 128 hex digits")
        }
        return try ExperimentAssignment(key: bytes)
    }

    /// The bucket (0 ..< 10,000) of `userID` in `experiment`.
    public func bucket(experiment: String, userID: String) throws -> Int {
        let e = Array(experiment.utf8)
        let n = UInt32(truncatingIfNeeded: e.count)
        var message: [UInt8] = [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        message += e
        message += Array(userID.utf8)
        let d: [UInt8]
        do {
            d = try KeyedHash.hash(message, key: try SecretKey(copying: key), outputLength: 16)
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "experiment assignment hash failed: \(error)")
        }
        var v: UInt64 = 0
        for b in d.prefix(8) { v = v << 8 | UInt64(b) }
        return Int(v % UInt64(Self.buckets))
    }

    /// The variant of `userID` in `experiment`: `variants[i]` owns a share of the buckets proportional to
    /// `weights[i]` (equal when `nil`). Throws for no variants, duplicate names, or weights that do not match
    /// (wrong count, negative, all zero).
    public func variant(experiment: String, userID: String, variants: [String], weights: [Int]? = nil) throws -> String {
        let bounds = try Self.bounds(variants: variants, weights: weights)
        let b = try bucket(experiment: experiment, userID: userID)
        let i = bounds.firstIndex { b < $0 } ?? (variants.count - 1)
        return variants[i]
    }

    /// Upper bucket bounds (exclusive) of each variant, checking the arguments.
    public static func bounds(variants: [String], weights: [Int]?) throws -> [Int] {
        guard !variants.isEmpty else { throw InteractionMonitorError(.invalidInput, "an experiment needs at least one variant") }
        guard Set(variants).count == variants.count else {
            throw InteractionMonitorError(.invalidInput, "variant names must be distinct")
        }
        let w = weights ?? Array(repeating: 1, count: variants.count)
        guard w.count == variants.count else {
            throw InteractionMonitorError(.invalidInput, "\(w.count) weight(s) for \(variants.count) variant(s)")
        }
        guard w.allSatisfy({ $0 >= 0 && $0 <= 1_000_000 }) else {
            throw InteractionMonitorError(.invalidInput, "weights must be between 0 and 1000000")
        }
        let total = w.reduce(0, +)
        guard total > 0 else { throw InteractionMonitorError(.invalidInput, "the weights add up to 0") }
        var cumulative = 0
        return w.map { x in
            cumulative += x
            return buckets * cumulative / total
        }
    }

    static func hexBytes(_ text: String) -> [UInt8]? { Hex.decode(text) }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
