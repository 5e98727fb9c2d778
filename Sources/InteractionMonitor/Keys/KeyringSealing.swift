import Foundation
internal import MonitorCrypto

/// How a keyring file is protected at rest.
public enum KeyringProtection: String, Sendable, Hashable {
    /// Plain format 1: only file permissions (0600 in a 0700 directory) protect it.
    case permissions
    /// Format 2, sealed under a key derived from a passphrase with Argon2id.
    case passphrase
    /// Format 2, sealed under a key-encryption key given in the environment or a file.
    case keyEncryptionKey = "kek"
}

/// Argon2id cost for a passphrase-sealed keyring (libsodium's named limits).
public enum KeyDerivationStrength: String, Sendable, CaseIterable {
    /// 2 passes, 64 MiB (`crypto_pwhash_*_INTERACTIVE`): for tests and small machines.
    case interactive
    /// 3 passes, 256 MiB (`crypto_pwhash_*_MODERATE`): the default.
    case moderate
    /// 4 passes, 1 GiB (`crypto_pwhash_*_SENSITIVE`): for backups (`keys export`).
    case sensitive

    var limits: (ops: UInt64, mem: UInt64) {
        switch self {
        case .interactive: (PasswordKDF.minimumOpsLimit, PasswordKDF.minimumMemLimit)
        case .moderate: (PasswordKDF.defaultOpsLimit, PasswordKDF.defaultMemLimit)
        case .sensitive: (4, 1 << 30)
        }
    }
}

/// The sealing of a format-2 keyring: its method and parameters, and the key that seals the format-1 text inside.
///
/// File layout (UTF-8 lines):
/// ```
/// interaction-monitor-keyring 2
/// protection passphrase argon2id13 <opslimit> <memlimit> <salt base64>      (or: protection kek <kek id hex>)
/// nonce <24 bytes base64>
/// <XChaCha20-Poly1305 ciphertext ‖ tag, base64>
/// ```
/// The first three lines, newlines included, are the additional data. The plaintext is a complete format-1 file.
final class KeyringSealing: Sendable {
    enum Method: Sendable, Equatable {
        case passphrase(opsLimit: UInt64, memLimit: UInt64, salt: [UInt8])
        case keyEncryptionKey(id: [UInt8])
    }

    static let header = "interaction-monitor-keyring 2"
    static let kekIDContext = "interaction-monitor kek id v1"

    let method: Method
    private let key: SecretKey

    private init(method: Method, key: SecretKey) {
        self.method = method
        self.key = key
    }

    var protection: KeyringProtection {
        if case .passphrase = method { return .passphrase }
        return .keyEncryptionKey
    }

    /// A new sealing for `secret` (a fresh salt for passphrases).
    static func make(secret: KeyringSecret, strength: KeyDerivationStrength) throws -> KeyringSealing {
        switch secret.kind {
        case .passphrase:
            let salt: [UInt8]
            do {
                salt = try RandomBytes.generate(PasswordKDF.saltLength)
            } catch {
                throw InteractionMonitorError(.cryptoFailure, "cannot generate a salt")
            }
            let (ops, mem) = strength.limits
            return try unlock(.passphrase(opsLimit: ops, memLimit: mem, salt: salt), secret: secret, where: "")
        case .keyEncryptionKey(let kek):
            return try unlock(.keyEncryptionKey(id: try kekID(kek)), secret: secret, where: "")
        }
    }

    /// The sealing of an existing file: derives (passphrase) or checks (KEK id) the key for `method`.
    static func unlock(_ method: Method, secret: KeyringSecret, where location: String) throws -> KeyringSealing {
        switch (method, secret.kind) {
        case (.passphrase(let ops, let mem, let salt), .passphrase(let phrase)):
            do {
                let key = try phrase.withUnsafeBytes {
                    try PasswordKDF.deriveKey(passphrase: $0, salt: salt, opsLimit: ops, memLimit: mem)
                }
                return KeyringSealing(method: method, key: key)
            } catch {
                throw InteractionMonitorError(
                    .cryptoFailure, "cannot derive the keyring key from the passphrase (Argon2id failed; out of memory?)")
            }
        case (.keyEncryptionKey(let id), .keyEncryptionKey(let kek)):
            guard try kekID(kek) == id else {
                throw InteractionMonitorError(
                    .keyringLocked,
                    "the key-encryption key given is not the one that seals the keyring\(location) (key ids differ)")
            }
            return KeyringSealing(method: method, key: kek)
        case (.passphrase, .keyEncryptionKey):
            throw InteractionMonitorError(
                .keyringLocked,
                "the keyring\(location) is sealed by a passphrase, but a key-encryption key was given")
        case (.keyEncryptionKey, .passphrase):
            throw InteractionMonitorError(
                .keyringLocked,
                "the keyring\(location) is sealed by a key-encryption key, but a passphrase was given")
        }
    }

    private static func kekID(_ kek: SecretKey) throws -> [UInt8] {
        do {
            return Array(try KeyedHash.hash(kekIDContext, key: kek, outputLength: 16).prefix(8))
        } catch {
            throw InteractionMonitorError(.configuration, "the key-encryption key must be 32 bytes")
        }
    }

    private func headerLines(nonce: [UInt8]) -> [UInt8] {
        var text = Self.header + "\n"
        switch method {
        case .passphrase(let ops, let mem, let salt):
            text += "protection passphrase argon2id13 \(ops) \(mem) \(Base64.encode(salt))\n"
        case .keyEncryptionKey(let id):
            text += "protection kek \(Hex.encode(id))\n"
        }
        text += "nonce \(Base64.encode(nonce))\n"
        return Array(text.utf8)
    }

    /// The format-2 file bytes sealing `plaintext` (a format-1 file).
    func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        do {
            let nonce = try AEAD.randomNonce()
            var out = headerLines(nonce: nonce)
            let sealed = try AEAD.seal(plaintext, nonce: nonce, additionalData: out, key: key)
            out += Array(Base64.encode(sealed).utf8)
            out.append(UInt8(ascii: "\n"))
            return out
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot seal the keyring")
        }
    }

    /// A parsed format-2 file, not yet opened.
    struct Envelope {
        var method: Method
        var additionalData: [UInt8]
        var nonce: [UInt8]
        var ciphertext: [UInt8]
    }

    /// Parses a format-2 file. Never echoes content in errors.
    static func parse(_ bytes: [UInt8], path: String) throws -> Envelope {
        func bad(_ why: String) -> InteractionMonitorError {
            InteractionMonitorError(.keyringMalformed, "\(path) is not a valid sealed keyring (format 2): \(why)")
        }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 4, omittingEmptySubsequences: false)
        guard lines.count >= 4, String(decoding: lines[0], as: UTF8.self) == header else { throw bad("header") }
        let protection = String(decoding: lines[1], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        let method: Method
        if protection.count == 6, protection[0] == "protection", protection[1] == "passphrase", protection[2] == "argon2id13" {
            guard let ops = UInt64(protection[3]), let mem = UInt64(protection[4]),
                let salt = Base64.decode(String(protection[5])), salt.count == PasswordKDF.saltLength
            else { throw bad("passphrase parameters") }
            guard (PasswordKDF.minimumOpsLimit...PasswordKDF.maximumOpsLimit).contains(ops),
                (PasswordKDF.minimumMemLimit...PasswordKDF.maximumMemLimit).contains(mem)
            else {
                throw bad(
                    "Argon2id parameters out of the accepted range (\(PasswordKDF.minimumOpsLimit)–\(PasswordKDF.maximumOpsLimit) passes, 64 MiB–1 GiB)")
            }
            method = .passphrase(opsLimit: ops, memLimit: mem, salt: salt)
        } else if protection.count == 3, protection[0] == "protection", protection[1] == "kek",
            let id = Hex.decode(protection[2]), id.count == 8
        {
            method = .keyEncryptionKey(id: id)
        } else {
            throw bad("unknown protection line")
        }
        let nonceLine = String(decoding: lines[2], as: UTF8.self)
        guard nonceLine.hasPrefix("nonce "), let nonce = Base64.decode(String(nonceLine.dropFirst(6))),
            nonce.count == AEAD.nonceLength
        else { throw bad("nonce") }
        var body = Array(lines[3])
        if lines.count > 4 {
            guard lines[4].allSatisfy({ $0 == UInt8(ascii: "\n") }) else { throw bad("trailing data") }
        }
        while body.last == UInt8(ascii: "\r") { body.removeLast() }
        guard let ciphertext = Base64.decode(String(decoding: body, as: UTF8.self)), ciphertext.count > AEAD.tagLength
        else { throw bad("ciphertext") }
        let aadLength = lines[0].count + lines[1].count + lines[2].count + 3
        return Envelope(method: method, additionalData: Array(bytes[..<aadLength]), nonce: nonce, ciphertext: ciphertext)
    }

    /// Opens an envelope (the caller wipes the returned format-1 text).
    func open(_ envelope: Envelope, location: String) throws -> [UInt8] {
        do {
            return try AEAD.open(envelope.ciphertext, nonce: envelope.nonce, additionalData: envelope.additionalData, key: key)
        } catch {
            switch method {
            case .passphrase:
                throw InteractionMonitorError(
                    .keyringLocked, "wrong passphrase for the keyring\(location) (or the file was altered)")
            case .keyEncryptionKey:
                throw InteractionMonitorError(
                    .keyringLocked, "the keyring\(location) failed authentication under its key-encryption key (the file was altered)")
            }
        }
    }
}

/// Standard base64 (with padding) for non-secret values: salts, nonces, ciphertext.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 4 == 0, let data = Data(base64Encoded: text) else { return nil }
        return [UInt8](data)
    }
}
