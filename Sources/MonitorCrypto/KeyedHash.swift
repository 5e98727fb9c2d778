internal import CSodium

/// Keyed BLAKE2b (`crypto_generichash`).
package enum KeyedHash {
    /// Recommended key length: 32 bytes.
    package static let keyLength = Int(crypto_generichash_KEYBYTES)
    /// Smallest and largest output lengths libsodium accepts (16 and 64 bytes).
    package static let outputRange = Int(crypto_generichash_BYTES_MIN)...Int(crypto_generichash_BYTES_MAX)

    /// BLAKE2b of `message` keyed with `key`, `outputLength` bytes long.
    package static func hash(
        _ message: UnsafeRawBufferPointer, key: SecretKey, outputLength: Int
    ) throws -> [UInt8] {
        try Sodium.ensureInitialised()
        guard outputRange.contains(outputLength) else { throw SodiumError(.invalidInput) }
        guard (Int(crypto_generichash_KEYBYTES_MIN)...Int(crypto_generichash_KEYBYTES_MAX)).contains(key.count) else {
            throw SodiumError(.invalidKeyLength)
        }
        var out = [UInt8](repeating: 0, count: outputLength)
        let rc: Int32 = out.withUnsafeMutableBufferPointer { o in
            key.withUnsafeBytes { k in
                crypto_generichash(
                    o.baseAddress!, outputLength,
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                    k.baseAddress?.assumingMemoryBound(to: UInt8.self), k.count
                )
            }
        }
        guard rc == 0 else { throw SodiumError(.hashFailed) }
        return out
    }

    /// BLAKE2b of the UTF-8 bytes of `string`.
    package static func hash(_ string: String, key: SecretKey, outputLength: Int) throws -> [UInt8] {
        var s = string
        return try s.withUTF8 { (u) in
            try hash(UnsafeRawBufferPointer(u), key: key, outputLength: outputLength)
        }
    }

    /// BLAKE2b of a byte array.
    package static func hash(_ bytes: [UInt8], key: SecretKey, outputLength: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { (b) in try hash(b, key: key, outputLength: outputLength) }
    }
}

extension KeyedHash {
    /// Unkeyed BLAKE2b-256 of `bytes` (content digests: the manifest's history chain and checkpoints).
    package static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = try? Sodium.ensureInitialised()
        _ = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { b in
                crypto_generichash(o.baseAddress!, 32, b.baseAddress, UInt64(b.count), nil, 0)
            }
        }
        return out
    }
}
