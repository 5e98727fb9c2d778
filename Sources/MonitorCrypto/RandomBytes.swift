internal import CSodium

/// Cryptographically secure random bytes from libsodium (`randombytes_buf`).
package enum RandomBytes {
    /// `count` random bytes.
    package static func generate(_ count: Int) throws -> [UInt8] {
        try Sodium.ensureInitialised()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
        return bytes
    }

    /// A uniformly random integer in `0..<upperBound` (`randombytes_uniform`).
    package static func uniform(_ upperBound: UInt32) throws -> UInt32 {
        try Sodium.ensureInitialised()
        return randombytes_uniform(upperBound)
    }
}
