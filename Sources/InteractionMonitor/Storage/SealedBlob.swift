/// A whole small file sealed as one envelope of kind `derived` (registries, profiles, patterns), in the segment
/// format: header (AAD) ‖ ciphertext ‖ tag ‖ trailer, index 0, day 0.
enum SealedBlob {
    static func seal(_ plaintext: [UInt8], keyring: Keyring) throws -> [UInt8] {
        try SegmentCodec.seal(
            plaintext, kind: .derived, day: Day(daysSinceEpoch: 0), position: .start,
            keyring: keyring
        ).frame
    }

    static func open(_ bytes: [UInt8], keyring: Keyring, what: String) throws -> [UInt8] {
        guard let frame = try? FrameScanner(bytes: bytes).frame(at: 0), frame.encodedLength == bytes.count,
            frame.header.kind == .derived, frame.header.index == 0, frame.header.day.daysSinceEpoch == 0
        else { throw InteractionMonitorError(.dataCorrupted, "\(what) is damaged") }
        switch SegmentCodec.open(frame, keyring: keyring) {
        case .success(let plain): return plain
        case .failure(.unknownKey(let id)):
            throw InteractionMonitorError(.unknownKey, "\(what) is sealed with key \(id), which the keyring does not hold")
        case .failure(.authentication):
            throw InteractionMonitorError(.dataCorrupted, "\(what) failed authentication (tampered)")
        }
    }
}
