import Foundation
import MonitorCrypto
import Testing

@testable import InteractionMonitor

struct KeyringTests {
    @Test func createWritesA0600FileInA0700DirectoryAndLoadsBack() throws {
        let dir = TemporaryDirectory()
        let created = try Keyring.create(directory: dir.keys)
        #expect(try mode(of: dir.keys) == 0o700)
        #expect(try mode(of: dir.keys + "/keyring") == 0o600)
        let loaded = try Keyring.load(directory: dir.keys)
        #expect(loaded.activeDataKeyID == created.activeDataKeyID)
        #expect(loaded.activeHashKeyID == created.activeHashKeyID)
        #expect(loaded.activeDataKey.isEqual(to: created.activeDataKey))
        #expect(throws: InteractionMonitorError(.keyringExists, "")) { try Keyring.create(directory: dir.keys) }
    }

    @Test func groupOrWorldAccessibleKeyringIsRefusedLikeSSH() throws {
        let dir = TemporaryDirectory()
        try Keyring.create(directory: dir.keys)
        chmod(dir.keys + "/keyring", 0o640)
        #expect(throws: InteractionMonitorError(.keyringPermissions, "")) { try Keyring.load(directory: dir.keys) }
        chmod(dir.keys + "/keyring", 0o600)
        chmod(dir.keys, 0o755)
        #expect(throws: InteractionMonitorError(.keyringPermissions, "")) { try Keyring.load(directory: dir.keys) }
        chmod(dir.keys, 0o700)
        _ = try Keyring.load(directory: dir.keys)
    }

    @Test func createTightensAnEmptyLooseDirectory() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.keys, withIntermediateDirectories: true)
        chmod(dir.keys, 0o755)
        try Keyring.create(directory: dir.keys)
        #expect(try mode(of: dir.keys) == 0o700)
    }

    @Test func missingKeyringIsAClearError() throws {
        let dir = TemporaryDirectory()
        #expect(throws: InteractionMonitorError(.keyringNotFound, "")) { try Keyring.load(directory: dir.keys) }
    }

    @Test func malformedKeyringsGiveErrorsThatNeverEchoKeyMaterial() throws {
        let dir = TemporaryDirectory()
        try Keyring.create(directory: dir.keys)
        let path = dir.keys + "/keyring"
        let good = String(decoding: try readBytes(path), as: UTF8.self)
        let secretB64 = String(good.split(separator: "\n")[1].split(separator: " ")[4])
        let lines = good.split(separator: "\n").map(String.init)
        var variants: [String] = ["", "not a keyring\n"]
        variants.append(good.replacingOccurrences(of: "keyring 1", with: "keyring 9"))
        variants.append(good.replacingOccurrences(of: secretB64, with: String(secretB64.dropLast(4))))
        variants.append(good.replacingOccurrences(of: secretB64, with: "!!" + String(secretB64.dropFirst(2))))
        variants.append(good.replacingOccurrences(of: " active ", with: " sleeping "))
        variants.append(good.replacingOccurrences(of: "data ", with: "hash "))
        variants.append(lines[0] + "\n")
        variants.append(good + lines[1] + "\n")
        variants.append(good.replacingOccurrences(of: secretB64, with: "-"))
        for v in variants {
            try writeBytes(Array(v.utf8), to: path)
            do {
                _ = try Keyring.load(directory: dir.keys)
                Issue.record("accepted a malformed keyring: \(v.prefix(40))")
            } catch let error as InteractionMonitorError {
                #expect(error.code == .keyringMalformed)
                #expect(!error.message.contains(secretB64))
                #expect(!error.message.contains(String(secretB64.prefix(12))))
            }
        }
    }

    @Test func concurrentFirstUseCreatesExactlyOneKeyring() async throws {
        let dir = TemporaryDirectory()
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try Keyring.loadOrCreate(directory: dir.keys).activeDataKeyID.description }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.keys) == ["keyring"])
    }

    @Test func descriptionNeverShowsKeyBytes() throws {
        let keyring = try Keyring.generate()
        var b64 = keyring.activeDataKey.base64EncodedBytes()
        let text = String(decoding: b64, as: UTF8.self)
        secureZero(&b64)
        #expect(!"\(keyring)".contains(text))
        #expect(!String(reflecting: keyring).contains(text))
        #expect("\(keyring)".contains(keyring.activeDataKeyID.description))
    }
}
