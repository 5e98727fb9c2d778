internal import MonitorCrypto

/// Seals and opens segment frames (format 2, see ``SegmentHeader``; format 1 frames are still opened).
enum SegmentCodec {
    static let zeroTag = [UInt8](repeating: 0, count: SegmentHeader.tagLength)

    /// A complete frame sealed under the keyring's active data key for the store `storeID`: header ‖ ciphertext ‖
    /// tag ‖ length ‖ trailer magic. The additional data is the header (which names the store), followed by the
    /// keyring's tenant binding (``Tenant``) and, for a derived file, the binding of its `name`.
    static func seal(
        _ plaintext: [UInt8], kind: SegmentHeader.Kind, day: Day, position: SegmentPosition, keyring: Keyring,
        storeID: [UInt8], name: String? = nil
    ) throws -> (frame: [UInt8], tag: [UInt8]) {
        guard storeID.count == StoreIdentity.length else {
            throw InteractionMonitorError(.cryptoFailure, "cannot seal segment: the store id is malformed")
        }
        return try seal(
            plaintext, kind: kind, day: day, position: position, keyring: keyring, version: SegmentHeader.version,
            storeID: storeID, name: name)
    }

    /// A frame in the format before frames named their store and derived files their name. Only upgrade tests
    /// write it.
    static func sealFormat1(
        _ plaintext: [UInt8], kind: SegmentHeader.Kind, day: Day, position: SegmentPosition, keyring: Keyring
    ) throws -> (frame: [UInt8], tag: [UInt8]) {
        try seal(
            plaintext, kind: kind, day: day, position: position, keyring: keyring, version: SegmentHeader.version1,
            storeID: nil, name: nil)
    }

    /// As ``seal(_:kind:day:position:keyring:storeID:name:)``, sealing bytes in place (no copy of the plaintext).
    static func seal(
        _ plaintext: UnsafeRawBufferPointer, kind: SegmentHeader.Kind, day: Day, position: SegmentPosition,
        keyring: Keyring, storeID: [UInt8]
    ) throws -> (frame: [UInt8], tag: [UInt8]) {
        guard storeID.count == StoreIdentity.length else {
            throw InteractionMonitorError(.cryptoFailure, "cannot seal segment: the store id is malformed")
        }
        return try seal(
            plaintext, kind: kind, day: day, position: position, keyring: keyring, version: SegmentHeader.version,
            storeID: storeID, name: nil)
    }

    private static func seal(
        _ plaintext: [UInt8], kind: SegmentHeader.Kind, day: Day, position: SegmentPosition, keyring: Keyring,
        version: UInt8, storeID: [UInt8]?, name: String?
    ) throws -> (frame: [UInt8], tag: [UInt8]) {
        try plaintext.withUnsafeBytes { p in
            try seal(p, kind: kind, day: day, position: position, keyring: keyring, version: version, storeID: storeID, name: name)
        }
    }

    /// The one sealing: header, then the ciphertext and tag sealed straight into the frame (one allocation), then
    /// the trailer.
    private static func seal(
        _ plaintext: UnsafeRawBufferPointer, kind: SegmentHeader.Kind, day: Day, position: SegmentPosition,
        keyring: Keyring, version: UInt8, storeID: [UInt8]?, name: String?
    ) throws -> (frame: [UInt8], tag: [UInt8]) {
        let key = keyring.activeDataKey
        let header: SegmentHeader
        do {
            header = SegmentHeader(
                version: version, kind: kind, keyID: keyring.activeDataKeyID, day: day, index: position.index,
                nonce: try AEAD.randomNonce(), previousTag: position.previousTag,
                ciphertextLength: plaintext.count + SegmentHeader.tagLength, storeID: storeID)
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot seal segment: \(error)")
        }
        let headerBytes = header.bytes
        let sealedCount = plaintext.count + SegmentHeader.tagLength
        let total = headerBytes.count + sealedCount + SegmentHeader.trailerLength
        let aad = additionalData(header, keyring: keyring, name: name)
        var failure: (any Error)?
        let frame = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialised in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.copyBytes(from: headerBytes)
            do {
                try AEAD.seal(
                    plaintext, nonce: header.nonce, additionalData: aad, key: key,
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[headerBytes.count..<(headerBytes.count + sealedCount)]))
            } catch {
                failure = error
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                initialised = total
                return
            }
            var at = headerBytes.count + sealedCount
            for b in withUnsafeBytes(of: UInt32(sealedCount).bigEndian, Array.init) + SegmentHeader.trailerMagic {
                raw[at] = b
                at += 1
            }
            initialised = total
        }
        if let failure { throw InteractionMonitorError(.cryptoFailure, "cannot seal segment: \(failure)") }
        let tagStart = headerBytes.count + sealedCount - SegmentHeader.tagLength
        return (frame, Array(frame[tagStart..<(tagStart + SegmentHeader.tagLength)]))
    }

    /// The AEAD's additional data: the header, the tenant binding, and for a derived file of format 2 `"name"` ‖ one
    /// length byte ‖ the file name's UTF-8 bytes (SECURITY.md).
    private static func additionalData(_ header: SegmentHeader, keyring: Keyring, name: String?) -> [UInt8] {
        var aad = header.bytes + keyring.tenant.additionalData
        if header.version != SegmentHeader.version1, header.kind == .derived {
            let bytes = Array((name ?? "").utf8.prefix(255))
            aad += Array("name".utf8) + [UInt8(bytes.count)] + bytes
        }
        return aad
    }

    /// Opens a frame's ciphertext; a derived file is opened as the file `name`. Only ``FrameOpener`` calls it (it
    /// also checks the store the header names).
    static func open(_ frame: StoredFrame, keyring: Keyring, name: String? = nil) -> Result<[UInt8], OpenFailure> {
        guard let key = keyring.dataKey(frame.header.keyID) else { return .failure(.unknownKey(frame.header.keyID)) }
        do {
            return .success(
                try AEAD.open(
                    frame.ciphertext, nonce: frame.header.nonce,
                    additionalData: additionalData(frame.header, keyring: keyring, name: name), key: key))
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
    public var encodedLength: Int { header.encodedLength + ciphertext.count + SegmentHeader.trailerLength }
}

/// What a store scan yields: a frame, or a byte range that is not a valid frame.
public enum ScannedItem: Sendable {
    /// A structurally valid frame.
    case frame(StoredFrame)
    /// Bytes that do not form a frame (torn write, corruption, garbage).
    case damaged(offset: Int64, length: Int64, reason: String)
}
