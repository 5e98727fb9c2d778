internal import MonitorCrypto

#if canImport(Glibc)
import Glibc
#endif

/// What opens a sealed keyring: a passphrase (stretched with Argon2id) or a 32-byte key-encryption key (KEK).
///
/// The bytes live in wiped memory and are never printed. Resolve one from the environment with
/// ``fromEnvironment(_:)``: `INTERACTION_MONITOR_KEK` (32 bytes as base64 or 64 hex digits),
/// `INTERACTION_MONITOR_KEK_FILE` (a file holding that text, or the 32 raw bytes), `INTERACTION_MONITOR_PASSPHRASE`
/// or `INTERACTION_MONITOR_PASSPHRASE_FILE` (first line of the file).
public struct KeyringSecret: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case passphrase(SecretKey)
        case keyEncryptionKey(SecretKey)
    }

    let kind: Kind

    /// Length of a key-encryption key in bytes.
    public static let keyEncryptionKeyLength = 32
    static let maximumPassphraseLength = 4096

    /// A passphrase (UTF-8, 1 to 4096 bytes).
    public static func passphrase(_ text: String) throws -> KeyringSecret {
        var bytes = Array(text.utf8)
        defer { secureZero(&bytes) }
        return try passphrase(bytes: bytes)
    }

    static func passphrase(bytes: [UInt8]) throws -> KeyringSecret {
        guard !bytes.isEmpty else { throw InteractionMonitorError(.configuration, "the passphrase is empty") }
        guard bytes.count <= maximumPassphraseLength else {
            throw InteractionMonitorError(.configuration, "the passphrase is longer than \(maximumPassphraseLength) bytes")
        }
        do {
            return KeyringSecret(kind: .passphrase(try SecretKey(copying: bytes)))
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot hold the passphrase in protected memory")
        }
    }

    /// A key-encryption key written as standard base64 or as 64 hex digits (surrounding white space ignored).
    public static func keyEncryptionKey(encoded text: String) throws -> KeyringSecret {
        var bytes = Array(text.utf8)
        defer { secureZero(&bytes) }
        return try keyEncryptionKey(encodedBytes: bytes, source: "the key-encryption key")
    }

    /// A key-encryption key read from `path`: base64 or hex text, or exactly 32 raw bytes.
    public static func keyEncryptionKey(file path: String) throws -> KeyringSecret {
        var bytes = try POSIX.readFile(path, limit: 4096, code: .configuration, strict: false)
        defer { secureZero(&bytes) }
        if bytes.count == keyEncryptionKeyLength, (try? keyEncryptionKey(encodedBytes: bytes, source: path)) == nil {
            do {
                return KeyringSecret(kind: .keyEncryptionKey(try SecretKey(copying: bytes)))
            } catch {
                throw InteractionMonitorError(.cryptoFailure, "cannot hold the key-encryption key in protected memory")
            }
        }
        return try keyEncryptionKey(encodedBytes: bytes, source: "key-encryption key file \(path)")
    }

    /// A passphrase read from the first line of `path`.
    public static func passphrase(file path: String) throws -> KeyringSecret {
        var bytes = try POSIX.readFile(path, limit: maximumPassphraseLength + 2, code: .configuration, strict: false)
        defer { secureZero(&bytes) }
        var end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        if end > 0 && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        do {
            return try passphrase(bytes: Array(bytes[..<end]))
        } catch let error as InteractionMonitorError {
            throw InteractionMonitorError(error.code, "passphrase file \(path): \(error.message)")
        }
    }

    static func keyEncryptionKey(encodedBytes raw: [UInt8], source: String) throws -> KeyringSecret {
        var text = raw
        defer { secureZero(&text) }
        while let last = text.last, last == 0x20 || last == 0x0A || last == 0x0D || last == 0x09 { text.removeLast() }
        var start = 0
        while start < text.count, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
        let trimmed = Array(text[start...])
        var decoded: SecretKey? = nil
        if trimmed.count == 2 * keyEncryptionKeyLength, var hex = Hex.decode(String(decoding: trimmed, as: UTF8.self)) {
            decoded = try? SecretKey(copying: hex)
            secureZero(&hex)
        } else {
            decoded = try? trimmed.withUnsafeBytes { try SecretKey(base64: $0, expectedCount: keyEncryptionKeyLength) }
        }
        var copy = trimmed
        secureZero(&copy)
        guard let decoded else {
            throw InteractionMonitorError(
                .configuration, "\(source) is not 32 bytes written as base64 or 64 hex digits")
        }
        return KeyringSecret(kind: .keyEncryptionKey(decoded))
    }

    /// The secret the environment provides, if any (the KEK wins over a passphrase).
    public static func fromEnvironment(_ environment: [String: String]? = nil) throws -> KeyringSecret? {
        func value(_ name: String) -> String? {
            if let environment { return environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            guard let p = getenv(name) else { return nil }
            let s = String(cString: p)
            return s.isEmpty ? nil : s
        }
        if let kek = value("INTERACTION_MONITOR_KEK") {
            return try keyEncryptionKey(encoded: kek)
        }
        if let file = value("INTERACTION_MONITOR_KEK_FILE") { return try keyEncryptionKey(file: file) }
        if let phrase = value("INTERACTION_MONITOR_PASSPHRASE") { return try passphrase(phrase) }
        if let file = value("INTERACTION_MONITOR_PASSPHRASE_FILE") { return try passphrase(file: file) }
        return nil
    }

    /// A fresh random key-encryption key as base64 text (for `keys protect --kek --generate`). Wipe after use.
    static func generateKeyEncryptionKeyText() throws -> [UInt8] {
        do {
            return try SecretKey(randomCount: keyEncryptionKeyLength).base64EncodedBytes()
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot generate a key-encryption key")
        }
    }

    /// Whether this is a passphrase.
    public var isPassphrase: Bool {
        if case .passphrase = kind { return true }
        return false
    }

    public var description: String { isPassphrase ? "KeyringSecret(passphrase, <redacted>)" : "KeyringSecret(KEK, <redacted>)" }
}
