import Foundation
import MonitorCrypto
import Testing

@testable import InteractionMonitor

/// Keyring format 2: passphrase (Argon2id) and key-encryption-key sealing, wrong secrets, tampering, backups.
struct KeyringProtectionTests {
    func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("im-kp-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func code(_ body: () throws -> Void) -> InteractionMonitorError.Code? {
        do {
            try body()
            return nil
        } catch let e as InteractionMonitorError {
            return e.code
        } catch {
            return nil
        }
    }

    @Test func passphraseSealedKeyringRoundTripsAndRefusesWrongOrMissingPassphrases() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/keys"
        let secret = try KeyringSecret.passphrase("correct horse battery staple")
        let created = try Keyring.create(directory: dir, secret: secret, strength: .interactive)
        #expect(created.protection == .passphrase)
        let text = try String(contentsOfFile: dir + "/keyring", encoding: .utf8)
        #expect(text.hasPrefix("interaction-monitor-keyring 2\nprotection passphrase argon2id13 2 67108864 "))
        // No key material in clear: the base64 key text of the plain format is absent.
        #expect(!text.contains(" active "))
        let loaded = try Keyring.load(directory: dir, secret: try .passphrase("correct horse battery staple"))
        #expect(loaded.activeDataKeyID == created.activeDataKeyID)
        #expect(loaded.dataKey(created.activeDataKeyID)!.isEqual(to: created.activeDataKey))

        #expect(code { _ = try Keyring.load(directory: dir) } == .keyringLocked)
        #expect(code { _ = try Keyring.load(directory: dir, secret: try .passphrase("wrong")) } == .keyringLocked)
        let kek = try KeyringSecret.keyEncryptionKey(encoded: String(repeating: "ab", count: 32))
        #expect(code { _ = try Keyring.load(directory: dir, secret: kek) } == .keyringLocked)
        do {
            _ = try Keyring.load(directory: dir, secret: try .passphrase("wrong"))
        } catch let e as InteractionMonitorError {
            #expect(e.message.contains("wrong passphrase"))
            #expect(!e.message.contains("wrong\""))
        }
    }

    @Test func kekSealedKeyringRoundTripsAndNamesAWrongKEK() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/keys"
        let kekText = Data((0..<32).map { UInt8($0 * 3) }).base64EncodedString()
        let kek = try KeyringSecret.keyEncryptionKey(encoded: kekText)
        let created = try Keyring.create(directory: dir, secret: kek)
        #expect(created.protection == .keyEncryptionKey)
        // From a file, as hex, and from the environment dictionary.
        let file = root + "/kek"
        try Data((0..<32).map { UInt8($0 * 3) }).write(to: URL(fileURLWithPath: file))
        #expect(try Keyring.load(directory: dir, secret: try .keyEncryptionKey(file: file)).activeDataKeyID == created.activeDataKeyID)
        let hex = (0..<32).map { String(format: "%02x", $0 * 3) }.joined()
        #expect(try Keyring.load(directory: dir, secret: try .keyEncryptionKey(encoded: hex)).activeHashKeyID == created.activeHashKeyID)
        let env = try KeyringSecret.fromEnvironment(["INTERACTION_MONITOR_KEK": kekText])
        #expect(try Keyring.load(directory: dir, secret: env).activeDataKeyID == created.activeDataKeyID)

        let other = try KeyringSecret.keyEncryptionKey(encoded: String(repeating: "cd", count: 32))
        do {
            _ = try Keyring.load(directory: dir, secret: other)
            Issue.record("a wrong KEK must fail")
        } catch let e as InteractionMonitorError {
            #expect(e.code == .keyringLocked && e.message.contains("not the one"))
        }
        #expect(code { _ = try KeyringSecret.keyEncryptionKey(encoded: "too short") } == .configuration)
        #expect(code { _ = try Keyring.load(directory: dir, secret: try .passphrase("x")) } == .keyringLocked)
    }

    @Test func everyFlippedByteOfASealedKeyringIsAClearErrorNeverGarbage() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/keys"
        let kek = try KeyringSecret.keyEncryptionKey(encoded: String(repeating: "11", count: 32))
        _ = try Keyring.create(directory: dir, secret: kek)
        let path = dir + "/keyring"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var step = 1
        var i = 0
        while i < original.count {
            var bytes = [UInt8](original)
            bytes[i] ^= 0x04
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o600)
            let c = code { _ = try Keyring.load(directory: dir, secret: kek) }
            // A flipped newline can still leave a parsable file, but never one that opens.
            #expect(c == .keyringLocked || c == .keyringMalformed, "byte \(i): \(String(describing: c))")
            i += step
            step = step == 1 ? 7 : 1
        }
        // Truncation and garbage.
        for cut in [0, 10, 31, original.count / 2, original.count - 3] {
            try original.prefix(cut).write(to: URL(fileURLWithPath: path))
            let c = code { _ = try Keyring.load(directory: dir, secret: kek) }
            #expect(c == .keyringLocked || c == .keyringMalformed)
        }
    }

    @Test func argon2ParametersOutsideTheCapsAreRefusedBeforeDeriving() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/keys"
        let secret = try KeyringSecret.passphrase("pw")
        _ = try Keyring.create(directory: dir, secret: secret, strength: .interactive)
        let path = dir + "/keyring"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (from, to) in [("argon2id13 2 67108864", "argon2id13 2 68719476736"), ("argon2id13 2 67108864", "argon2id13 4000000 67108864"), ("argon2id13 2 67108864", "argon2id13 1 1024")] {
            try text.replacingOccurrences(of: from, with: to).write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)
            #expect(code { _ = try Keyring.load(directory: dir, secret: secret) } == .keyringMalformed)
        }
    }

    @Test func passphraseChangeSealingAndUnsealingKeepTheKeys() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/keys"
        let plain = try Keyring.create(directory: dir)
        #expect(plain.protection == .permissions)
        let first = try KeyringSecret.passphrase("first")
        try KeyringAdministration.protect(directory: dir, secret: nil, with: first, strength: .interactive)
        #expect(code { _ = try Keyring.load(directory: dir) } == .keyringLocked)
        let second = try KeyringSecret.passphrase("second")
        try KeyringAdministration.protect(directory: dir, secret: first, with: second, strength: .interactive)
        #expect(code { _ = try Keyring.load(directory: dir, secret: first) } == .keyringLocked)
        #expect(try Keyring.load(directory: dir, secret: second).activeDataKeyID == plain.activeDataKeyID)
        // Rotation keeps the sealing.
        try KeyringAdministration.rotate(directory: dir, secret: second, purpose: .data)
        let rotated = try Keyring.load(directory: dir, secret: second)
        #expect(rotated.protection == .passphrase && rotated.entries.count == 3)
        try KeyringAdministration.protect(directory: dir, secret: second, with: nil)
        let back = try Keyring.load(directory: dir)
        #expect(back.protection == .permissions && back.entries.count == 3)
    }

    @Test func exportIsPassphraseSealedAndImportRestoresOrMerges() throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/keys"
        let original = try Keyring.create(directory: dir)
        let backupPass = try KeyringSecret.passphrase("backup pass")
        let backup = root + "/backup.keyring"
        _ = try KeyringAdministration.export(directory: dir, secret: nil, to: backup, passphrase: backupPass, strength: .interactive)
        #expect(try String(contentsOfFile: backup, encoding: .utf8).hasPrefix("interaction-monitor-keyring 2\nprotection passphrase"))
        // Never overwrites.
        #expect(code { _ = try KeyringAdministration.export(directory: dir, secret: nil, to: backup, passphrase: backupPass, strength: .interactive) } == .keyringExists)
        // A KEK is not accepted for backups.
        let kek = try KeyringSecret.keyEncryptionKey(encoded: String(repeating: "22", count: 32))
        #expect(code { _ = try KeyringAdministration.export(directory: dir, secret: nil, to: root + "/b2", passphrase: kek) } == .configuration)
        // Wrong passphrase on import.
        #expect(code { _ = try KeyringAdministration.importBackup(from: backup, passphrase: try .passphrase("nope"), into: root + "/new", secret: nil) } == .keyringLocked)
        // Restore into an empty directory.
        let restored = try KeyringAdministration.importBackup(from: backup, passphrase: backupPass, into: root + "/new", secret: nil)
        #expect(restored.created && restored.added == 2)
        let copy = try Keyring.load(directory: root + "/new")
        #expect(copy.activeDataKeyID == original.activeDataKeyID)
        #expect(copy.dataKey(original.activeDataKeyID)!.isEqual(to: original.activeDataKey))
        // Merge into another keyring: the old keys become decrypt-only, the local active keys stay active.
        let otherDir = root + "/other"
        let other = try Keyring.create(directory: otherDir)
        let merged = try KeyringAdministration.importBackup(from: backup, passphrase: backupPass, into: otherDir, secret: nil)
        #expect(!merged.created && merged.added == 2)
        let m = try Keyring.load(directory: otherDir)
        #expect(m.activeDataKeyID == other.activeDataKeyID)
        #expect(m.entry(original.activeDataKeyID)?.status == .decryptOnly)
        #expect(m.dataKey(original.activeDataKeyID) != nil)
        // Importing again adds nothing.
        #expect(try KeyringAdministration.importBackup(from: backup, passphrase: backupPass, into: otherDir, secret: nil).added == 0)
    }
}
