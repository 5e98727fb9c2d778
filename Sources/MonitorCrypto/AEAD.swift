internal import CSodium

/// XChaCha20-Poly1305 (IETF construction, `crypto_aead_xchacha20poly1305_ietf_*`).
///
/// Layout of a sealed box as produced by ``seal(_:nonce:additionalData:key:)``:
/// `ciphertext ‖ tag`, where the ciphertext has the plaintext's length and the tag is 16 bytes.
/// The 24-byte nonce is not part of the output: callers store it in their own header.
package enum AEAD {
    /// Key length: 32 bytes.
    package static let keyLength = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    /// Nonce length: 24 bytes.
    package static let nonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    /// Authentication tag length: 16 bytes.
    package static let tagLength = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    /// A fresh random 24-byte nonce. With 192 bits, random nonces under one long-lived key are safe
    /// (collision probability ~2^-96 after 2^48 messages).
    package static func randomNonce() throws -> [UInt8] {
        try RandomBytes.generate(nonceLength)
    }

    /// Seals `plaintext`, authenticating `additionalData`, and returns `ciphertext ‖ tag`.
    package static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        nonce: [UInt8],
        additionalData: [UInt8],
        key: SecretKey
    ) throws -> [UInt8] {
        try Sodium.ensureInitialised()
        guard key.count == keyLength else { throw SodiumError(.invalidKeyLength) }
        guard nonce.count == nonceLength else { throw SodiumError(.invalidInput) }
        var output = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var outLength: UInt64 = 0
        let rc: Int32 = output.withUnsafeMutableBufferPointer { out in
            key.withUnsafeBytes { k in
                crypto_aead_xchacha20poly1305_ietf_encrypt(
                    out.baseAddress!, &outLength,
                    plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                    additionalData, UInt64(additionalData.count),
                    nil, nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self)
                )
            }
        }
        guard rc == 0, outLength == UInt64(output.count) else { throw SodiumError(.invalidInput) }
        return output
    }

    /// Seals `plaintext` into `output` (exactly `plaintext.count + tagLength` bytes): `ciphertext ‖ tag`, written
    /// in place, with no intermediate buffer.
    package static func seal(
        _ plaintext: UnsafeRawBufferPointer, nonce: [UInt8], additionalData: [UInt8], key: SecretKey,
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        try Sodium.ensureInitialised()
        guard key.count == keyLength else { throw SodiumError(.invalidKeyLength) }
        guard nonce.count == nonceLength, output.count == plaintext.count + tagLength, let out = output.baseAddress else {
            throw SodiumError(.invalidInput)
        }
        var outLength: UInt64 = 0
        let rc: Int32 = key.withUnsafeBytes { k in
            crypto_aead_xchacha20poly1305_ietf_encrypt(
                out.assumingMemoryBound(to: UInt8.self), &outLength,
                plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                additionalData, UInt64(additionalData.count),
                nil, nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self)
            )
        }
        guard rc == 0, outLength == UInt64(output.count) else { throw SodiumError(.invalidInput) }
    }

    /// Seals a byte array.
    package static func seal(
        _ plaintext: [UInt8], nonce: [UInt8], additionalData: [UInt8], key: SecretKey
    ) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { (p) in
            try seal(p, nonce: nonce, additionalData: additionalData, key: key)
        }
    }

    /// Opens `ciphertext ‖ tag`. Throws `.authenticationFailed` for a wrong key, nonce, AAD or any changed byte.
    package static func open(
        _ sealed: UnsafeRawBufferPointer,
        nonce: [UInt8],
        additionalData: [UInt8],
        key: SecretKey
    ) throws -> [UInt8] {
        try Sodium.ensureInitialised()
        guard key.count == keyLength else { throw SodiumError(.invalidKeyLength) }
        guard nonce.count == nonceLength, sealed.count >= tagLength else { throw SodiumError(.authenticationFailed) }
        var rc: Int32 = -1
        // Not zero-filled first: libsodium writes every byte it reports, and nothing is kept when it fails.
        let output = [UInt8](unsafeUninitializedCapacity: max(sealed.count - tagLength, 1)) { out, initialized in
            var outLength: UInt64 = 0
            rc = key.withUnsafeBytes { k in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    out.baseAddress!, &outLength, nil,
                    sealed.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(sealed.count),
                    additionalData, UInt64(additionalData.count),
                    nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self)
                )
            }
            initialized = rc == 0 ? Int(outLength) : 0
        }
        guard rc == 0 else { throw SodiumError(.authenticationFailed) }
        return output
    }

    /// Opens a byte array.
    package static func open(
        _ sealed: [UInt8], nonce: [UInt8], additionalData: [UInt8], key: SecretKey
    ) throws -> [UInt8] {
        try sealed.withUnsafeBytes { (s) in
            try open(s, nonce: nonce, additionalData: additionalData, key: key)
        }
    }
}
