internal import CSodium

/// Key bytes that wipe themselves when released, compare in constant time and never print.
///
/// The bytes live in a private heap buffer that is zeroed with `sodium_memzero` in `deinit`.
/// `description` and `debugDescription` are redacted, so a key that ends up in a log line, an error
/// message or a `print` shows `SecretKey(<redacted>, 32 bytes)` and nothing else.
package final class SecretKey: @unchecked Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    // Invariant for @unchecked Sendable: `storage` is written only during init and wiped only in
    // deinit, when no other reference exists; every other access is a read.
    private let storage: UnsafeMutableRawBufferPointer

    /// The key length in bytes.
    package var count: Int { storage.count }

    /// A new key of `count` random bytes.
    package init(randomCount count: Int) throws {
        try Sodium.ensureInitialised()
        guard count > 0 else { throw SodiumError(.invalidKeyLength) }
        storage = .allocate(byteCount: count, alignment: 16)
        randombytes_buf(storage.baseAddress!, count)
    }

    /// A key whose bytes are produced by `fill`, which writes exactly `count` bytes into the buffer it is given.
    /// Lets parsers decode key material directly into wiped storage without intermediate copies.
    package init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        try Sodium.ensureInitialised()
        guard count > 0 else { throw SodiumError(.invalidKeyLength) }
        storage = .allocate(byteCount: count, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        // If `fill` throws, the object is fully initialised, so deinit wipes and frees the storage.
        try fill(storage)
    }

    /// A key copied from `bytes`. The caller remains responsible for wiping its own copy.
    package convenience init(copying bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        try self.init(count: array.count) { buffer in
            buffer.copyBytes(from: array)
        }
    }

    deinit {
        sodium_memzero(storage.baseAddress!, storage.count)
        storage.deallocate()
    }

    /// Gives `body` read access to the key bytes. Do not let the pointer escape.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// Constant-time comparison.
    package func isEqual(to other: SecretKey) -> Bool {
        guard count == other.count else { return false }
        return other.withUnsafeBytes { o in sodium_memcmp(storage.baseAddress!, o.baseAddress!, count) == 0 }
    }

    package var description: String { "SecretKey(<redacted>, \(count) bytes)" }
    package var debugDescription: String { description }
}

/// Zeroes a byte array in place with `sodium_memzero` (used for transient buffers holding key material).
package func secureZero(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress { sodium_memzero(base, buffer.count) }
    }
}
