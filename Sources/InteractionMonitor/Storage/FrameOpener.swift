/// The one place a stored frame is opened: its AEAD under the keyring's key for the header's key id (with the
/// tenant and, for a derived file, its name bound in the additional data), then the store its header names. The
/// reader, `verify`, the follower, every rewrite, the derived files and the manifest open frames only through it
/// (`Scripts/soundness.sh` checks that nothing else calls ``SegmentCodec``'s `open`).
struct FrameOpener: Sendable {
    let keyring: Keyring
    /// The store every format 2 frame must name; `nil`: not checked (the manifest, whose content names its store,
    /// or a store without an id).
    let storeID: [UInt8]?

    /// Why a frame did not open.
    enum Failure: Error, Equatable {
        /// Sealed under a key the keyring does not hold.
        case unknownKey(KeyID)
        /// The ciphertext, the header or a bound name or tenant is not what was sealed.
        case authentication
        /// Authentic, but sealed for another store sharing the keyring (the message names both stores).
        case foreignStore(String)
    }

    /// The plaintext of `frame`; a derived file is opened as the file `name`.
    func open(_ frame: StoredFrame, name: String? = nil) -> Result<[UInt8], Failure> {
        switch SegmentCodec.open(frame, keyring: keyring, name: name) {
        case .failure(.unknownKey(let id)): return .failure(.unknownKey(id))
        case .failure(.authentication): return .failure(.authentication)
        case .success(let plain):
            if let foreign = StoreIdentity.mismatch(found: frame.header.storeID, expected: storeID) {
                return .failure(.foreignStore(foreign))
            }
            return .success(plain)
        }
    }
}
