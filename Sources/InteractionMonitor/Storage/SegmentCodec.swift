internal import MonitorCrypto

/// Seals and opens segment frames (format v1, see ``SegmentHeader``).
enum SegmentCodec {
    static let zeroTag = [UInt8](repeating: 0, count: SegmentHeader.tagLength)

    /// A complete frame sealed under the keyring's active data key: header ‖ ciphertext ‖ tag ‖ length ‖ trailer
    /// magic. The additional data is the header, followed by the keyring's tenant binding (``Tenant``).
    static func seal(
        _ plaintext: [UInt8], kind: SegmentHeader.Kind, day: Day, position: SegmentPosition, keyring: Keyring
    ) throws -> (frame: [UInt8], tag: [UInt8]) {
        let keyID = keyring.activeDataKeyID
        let key = keyring.activeDataKey
        let header: SegmentHeader
        let sealed: [UInt8]
        do {
            header = SegmentHeader(
                version: SegmentHeader.version, kind: kind, keyID: keyID, day: day, index: position.index,
                nonce: try AEAD.randomNonce(), previousTag: position.previousTag,
                ciphertextLength: plaintext.count + SegmentHeader.tagLength)
            sealed = try AEAD.seal(
                plaintext, nonce: header.nonce, additionalData: header.bytes + keyring.tenant.additionalData, key: key)
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot seal segment: \(error)")
        }
        var frame = header.bytes
        frame.reserveCapacity(SegmentHeader.length + sealed.count + SegmentHeader.trailerLength)
        frame += sealed
        frame.appendBigEndian(UInt32(sealed.count))
        frame += SegmentHeader.trailerMagic
        return (frame, Array(sealed.suffix(SegmentHeader.tagLength)))
    }

    /// Opens a frame's ciphertext. Throws a message-only failure; callers attach file and segment.
    static func open(_ frame: StoredFrame, keyring: Keyring) -> Result<[UInt8], OpenFailure> {
        guard let key = keyring.dataKey(frame.header.keyID) else { return .failure(.unknownKey(frame.header.keyID)) }
        do {
            return .success(
                try AEAD.open(
                    frame.ciphertext, nonce: frame.header.nonce,
                    additionalData: frame.header.bytes + keyring.tenant.additionalData, key: key))
        } catch {
            return .failure(.authentication)
        }
    }

    enum OpenFailure: Error {
        case unknownKey(KeyID)
        case authentication
    }
}

/// Where the next segment of a day goes: its index and the previous segment's tag.
public struct SegmentPosition: Hashable, Sendable {
    /// Index of the next segment.
    public var index: UInt64
    /// Tag of the last segment (zeros when the file is empty).
    public var previousTag: [UInt8]

    /// The position of segment `index`, chained after the segment whose tag is `previousTag`.
    public init(index: UInt64, previousTag: [UInt8]) {
        self.index = index
        self.previousTag = previousTag
    }

    /// The position of the first segment of an empty file.
    public static let start = SegmentPosition(index: 0, previousTag: SegmentCodec.zeroTag)
}

/// A structurally valid frame read from a store (not yet authenticated).
public struct StoredFrame: Sendable {
    /// The parsed header.
    public var header: SegmentHeader
    /// Ciphertext including the tag.
    public var ciphertext: [UInt8]
    /// Byte offset in its file (or a row position for other backends).
    public var offset: Int64

    /// The 16-byte tag that ends the ciphertext.
    public var tag: [UInt8] { Array(ciphertext.suffix(SegmentHeader.tagLength)) }
    /// Total encoded size.
    public var encodedLength: Int { SegmentHeader.length + ciphertext.count + SegmentHeader.trailerLength }
}

/// What a store scan yields: a frame, or a byte range that is not a valid frame.
public enum ScannedItem: Sendable {
    /// A structurally valid frame.
    case frame(StoredFrame)
    /// Bytes that do not form a frame (torn write, corruption, garbage).
    case damaged(offset: Int64, length: Int64, reason: String)
}
