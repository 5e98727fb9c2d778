internal import CSodium

/// Argon2id (`crypto_pwhash`, algorithm `crypto_pwhash_ALG_ARGON2ID13`) for passphrase-sealed keyrings.
package enum PasswordKDF {
    /// Salt length: 16 bytes.
    package static let saltLength = Int(crypto_pwhash_SALTBYTES)
    /// libsodium's "moderate" limits (3 passes, 256 MiB): the default for new keyrings.
    package static let defaultOpsLimit = UInt64(crypto_pwhash_OPSLIMIT_MODERATE)
    package static let defaultMemLimit = UInt64(crypto_pwhash_MEMLIMIT_MODERATE)
    /// The least we accept when reading (libsodium's interactive limits).
    package static let minimumOpsLimit = UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE)
    package static let minimumMemLimit = UInt64(crypto_pwhash_MEMLIMIT_INTERACTIVE)
    /// The most we accept when reading, so a file cannot make us spend minutes or gigabytes (age caps scrypt likewise).
    package static let maximumOpsLimit: UInt64 = 16
    package static let maximumMemLimit: UInt64 = 1 << 30

    /// Derives a `length`-byte key from `passphrase` and `salt`.
    package static func deriveKey(
        passphrase: UnsafeRawBufferPointer, salt: [UInt8], opsLimit: UInt64, memLimit: UInt64, length: Int = 32
    ) throws -> SecretKey {
        try Sodium.ensureInitialised()
        guard passphrase.count > 0, let phrase = passphrase.baseAddress, salt.count == saltLength, (minimumOpsLimit...maximumOpsLimit).contains(opsLimit),
            (minimumMemLimit...maximumMemLimit).contains(memLimit)
        else { throw SodiumError(.invalidInput) }
        return try SecretKey(count: length) { out in
            let rc = crypto_pwhash(
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(length),
                phrase.assumingMemoryBound(to: CChar.self), UInt64(passphrase.count), salt,
                opsLimit, Int(memLimit), crypto_pwhash_ALG_ARGON2ID13)
            guard rc == 0 else { throw SodiumError(.hashFailed) }
        }
    }
}
