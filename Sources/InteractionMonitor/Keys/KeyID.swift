internal import MonitorCrypto

/// A key's stable identifier: 8 random bytes, written as 16 lower-case hex digits (e.g. `3f9a0c1d22e4b781`).
/// Key ids are not secret: they appear in segment headers and in `keys list`.
public struct KeyID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The 8 id bytes.
    public let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 8 else { return nil }
        self.bytes = bytes
    }

    /// Parses 16 hex digits.
    public init?(_ text: String) {
        guard text.utf8.count == 16, let b = Hex.decode(text) else { return nil }
        self.bytes = b
    }

    static func random() throws -> KeyID {
        do {
            return KeyID(bytes: try RandomBytes.generate(8))!
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot generate a key id: \(error)")
        }
    }

    public var description: String { Hex.encode(bytes) }

    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.description < rhs.description }
}
