internal import CSodium

extension SecretKey {
    /// Decodes standard base64 (with padding) straight into wiped key storage, using libsodium's
    /// constant-time decoder. Throws `.invalidInput` for malformed text or a length other than `expectedCount`.
    package convenience init(base64 text: UnsafeRawBufferPointer, expectedCount: Int) throws {
        try Sodium.ensureInitialised()
        try self.init(count: expectedCount) { buffer in
            var written = 0
            var end: UnsafePointer<CChar>? = nil
            let rc = text.withMemoryRebound(to: CChar.self) { chars in
                sodium_base642bin(
                    buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.count,
                    chars.baseAddress, chars.count, nil, &written, &end,
                    Int32(sodium_base64_VARIANT_ORIGINAL)
                )
            }
            guard rc == 0, written == expectedCount, let end, end == text.baseAddress!.assumingMemoryBound(to: CChar.self) + text.count
            else { throw SodiumError(.invalidInput) }
        }
    }

    /// The key as standard base64 text. The caller must wipe the returned buffer with ``secureZero(_:)``.
    package func base64EncodedBytes() -> [UInt8] {
        let length = sodium_base64_encoded_len(count, Int32(sodium_base64_VARIANT_ORIGINAL))
        var out = [UInt8](repeating: 0, count: length)
        out.withUnsafeMutableBufferPointer { o in
            withUnsafeBytes { k in
                _ = o.withMemoryRebound(to: CChar.self) { c in
                    sodium_bin2base64(
                        c.baseAddress!, length, k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count,
                        Int32(sodium_base64_VARIANT_ORIGINAL))
                }
            }
        }
        out.removeLast()  // trailing NUL
        return out
    }
}
