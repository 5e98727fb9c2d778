/// The authenticated header of a sealed segment. The byte layout (format 2; format 1 is the same without the store
/// id), specified in SECURITY.md:
///
/// ```
/// offset size field
///  0      4  magic "IMSG"
///  4      1  format version (2; 1 is still read)
///  5      1  kind (1 = interactions segment, 2 = manifest, 3 = derived file)
///  6      2  reserved, zero
///  8      8  key id of the data key
/// 16      4  day, signed big-endian days since 1970-01-01 (0 for non-day files)
/// 20      8  segment index within its day file, big-endian, starting at 0
/// 28     24  XChaCha20-Poly1305 nonce (random)
/// 52     16  previous segment's tag in the same file (zeros for the first)
/// 68      4  ciphertext length n, big-endian, including the 16-byte tag
/// 72     16  store id (format 2 only)
/// 88      n  ciphertext ‖ tag
/// 88+n    4  n again (lets a writer find the last segment from the end of the file)
/// 92+n    4  trailer magic "GSMI"
/// ```
/// The header bytes (88 in format 2, 72 in format 1) are the AEAD's additional data, so every field above is
/// authenticated.
public struct SegmentHeader: Hashable, Sendable {
    /// What a sealed envelope holds.
    public enum Kind: UInt8, Sendable {
        /// A JSONL batch of interactions.
        case interactions = 1
        /// The store manifest (day → segment count, last tag).
        case manifest = 2
        /// A derived file (profiles, patterns, registries).
        case derived = 3
    }

    static let magic: [UInt8] = Array("IMSG".utf8)
    static let trailerMagic: [UInt8] = Array("GSMI".utf8)
    /// The format every frame is written in.
    static let version: UInt8 = 2
    /// The format before frames named their store (read, never written).
    static let version1: UInt8 = 1
    /// Header length of format 1.
    static let version1Length = 72
    /// Header length of the current format, the longest a reader accepts.
    public static let length = 88
    /// Trailer length in bytes.
    public static let trailerLength = 8
    /// Largest ciphertext a reader accepts (a larger length field is treated as damage).
    public static let maximumCiphertextLength = 256 << 20
    /// The tag length in bytes.
    public static let tagLength = 16

    /// Format version.
    public var version: UInt8
    /// Envelope kind.
    public var kind: Kind
    /// Data key id.
    public var keyID: KeyID
    /// The UTC day the segment belongs to.
    public var day: Day
    /// Position in the day file.
    public var index: UInt64
    /// The AEAD nonce.
    public var nonce: [UInt8]
    /// Tag of the previous segment in the same file.
    public var previousTag: [UInt8]
    /// Ciphertext length including the tag.
    public var ciphertextLength: Int
    /// The id of the store the frame was sealed for (`nil` in format 1, which did not name it).
    public var storeID: [UInt8]?

    /// This header's length in bytes (88, or 72 in format 1).
    public var encodedLength: Int { version == Self.version1 ? Self.version1Length : Self.length }

    /// The header bytes.
    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.length)
        out += Self.magic
        out.append(version)
        out.append(kind.rawValue)
        out += [0, 0]
        out += keyID.bytes
        out.appendBigEndian(UInt32(bitPattern: day.daysSinceEpoch))
        out.appendBigEndian(index)
        out += nonce
        out += previousTag
        out.appendBigEndian(UInt32(ciphertextLength))
        if version != Self.version1 { out += storeID ?? [UInt8](repeating: 0, count: StoreIdentity.length) }
        return out
    }

    /// Why a header was rejected.
    enum ParseFailure: Error { case badMagic, unsupportedVersion(UInt8), badKind(UInt8), badReserved, badLength }

    /// Parses a header (structure only; authenticity is checked when the segment is opened). `b` holds at least
    /// the 72 bytes of format 1, and 88 for format 2.
    static func parse(_ b: some RandomAccessCollection<UInt8>) -> Result<SegmentHeader, ParseFailure> {
        let b = Array(b)
        guard b.count >= version1Length, Array(b[0..<4]) == magic else { return .failure(.badMagic) }
        guard b[4] == version || b[4] == version1 else { return .failure(.unsupportedVersion(b[4])) }
        guard let kind = Kind(rawValue: b[5]) else { return .failure(.badKind(b[5])) }
        guard b[6] == 0, b[7] == 0 else { return .failure(.badReserved) }
        let ctLen = Int(b.readBigEndianUInt32(at: 68))
        guard ctLen >= tagLength, ctLen <= maximumCiphertextLength else { return .failure(.badLength) }
        var storeID: [UInt8]? = nil
        if b[4] == version {
            guard b.count >= length else { return .failure(.badLength) }
            storeID = Array(b[72..<88])
        }
        return .success(
            SegmentHeader(
                version: b[4], kind: kind, keyID: KeyID(bytes: Array(b[8..<16]))!,
                day: Day(daysSinceEpoch: Int32(bitPattern: b.readBigEndianUInt32(at: 16))),
                index: b.readBigEndianUInt64(at: 20), nonce: Array(b[28..<52]), previousTag: Array(b[52..<68]),
                ciphertextLength: ctLen, storeID: storeID))
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(v >> 24))
        append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }

    mutating func appendBigEndian(_ v: UInt64) {
        appendBigEndian(UInt32(v >> 32))
        appendBigEndian(UInt32(truncatingIfNeeded: v))
    }

    func readBigEndianUInt32(at i: Int) -> UInt32 {
        UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }

    func readBigEndianUInt64(at i: Int) -> UInt64 {
        UInt64(readBigEndianUInt32(at: i)) << 32 | UInt64(readBigEndianUInt32(at: i + 4))
    }
}
