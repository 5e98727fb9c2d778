/// A failure of a libsodium primitive. Never carries key bytes or plaintext.
package struct SodiumError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What went wrong.
    package enum Code: Hashable, Sendable {
        case initialisationFailed
        case authenticationFailed
        case invalidKeyLength
        case invalidInput
        case hashFailed
        case randomFailed
    }

    package let code: Code

    package init(_ code: Code) { self.code = code }

    package var description: String {
        switch code {
        case .initialisationFailed: "libsodium could not be initialised"
        case .authenticationFailed: "authentication failed: wrong key or tampered data"
        case .invalidKeyLength: "key has the wrong length"
        case .invalidInput: "invalid input to a cryptographic primitive"
        case .hashFailed: "keyed hash failed"
        case .randomFailed: "random number generator failed"
        }
    }
}
