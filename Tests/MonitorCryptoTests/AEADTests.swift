import MonitorCrypto
import Testing

struct AEADTests {
    /// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305).
    @Test func knownAnswerFromTheXChaChaDraft() throws {
        let key = try SecretKey(copying: (0x80...0x9f).map { UInt8($0) })
        let nonce = (0x40...0x57).map { UInt8($0) }
        let aad = Hex.decode("50515253c0c1c2c3c4c5c6c7")!
        let plaintext = Array(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
                .utf8)
        let sealed = try AEAD.seal(plaintext, nonce: nonce, additionalData: aad, key: key)
        #expect(Hex.encode(sealed.prefix(32)) == "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb")
        #expect(Hex.encode(sealed.suffix(16)) == "c0875924c1c7987947deafd8780acf49")
        #expect(try AEAD.open(sealed, nonce: nonce, additionalData: aad, key: key) == plaintext)
    }

    @Test func anyChangedByteFailsAuthentication() throws {
        let key = try SecretKey(randomCount: AEAD.keyLength)
        let nonce = try AEAD.randomNonce()
        let sealed = try AEAD.seal(Array("hello".utf8), nonce: nonce, additionalData: [1, 2, 3], key: key)
        for i in sealed.indices {
            var bad = sealed
            bad[i] ^= 0x40
            #expect(throws: SodiumError.self) { try AEAD.open(bad, nonce: nonce, additionalData: [1, 2, 3], key: key) }
        }
        #expect(throws: SodiumError.self) { try AEAD.open(sealed, nonce: nonce, additionalData: [1, 2, 4], key: key) }
        let other = try SecretKey(randomCount: AEAD.keyLength)
        #expect(throws: SodiumError.self) { try AEAD.open(sealed, nonce: nonce, additionalData: [1, 2, 3], key: other) }
        #expect(throws: SodiumError.self) { try AEAD.open([1, 2], nonce: nonce, additionalData: [], key: key) }
    }

    @Test func noncesAreFreshAndWrongLengthsAreRejected() throws {
        #expect(try AEAD.randomNonce() != AEAD.randomNonce())
        let short = try SecretKey(randomCount: 16)
        #expect(throws: SodiumError.self) { try AEAD.seal([1], nonce: AEAD.randomNonce(), additionalData: [], key: short) }
    }
}

struct KeyedHashTests {
    /// The BLAKE2 reference keyed KAT (blake2b-kat.txt, empty input, key 00..3f) and values from Python's hashlib.
    @Test func knownAnswers() throws {
        let key64 = try SecretKey(copying: (0..<64).map { UInt8($0) })
        #expect(
            Hex.encode(try KeyedHash.hash([UInt8](), key: key64, outputLength: 64))
                == "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"
        )
        let key32 = try SecretKey(copying: (0..<32).map { UInt8($0) })
        #expect(Hex.encode(try KeyedHash.hash("alice", key: key32, outputLength: 16)) == "c6ea27646ae852a72f3e59cb7753f22b")
        #expect(
            Hex.encode(try KeyedHash.hash((0..<255).map { UInt8($0) }, key: key32, outputLength: 32))
                == "f60f5c4a575c43db6c93608515866ea998e04b35792f5a92b27aa5880cd6721e")
    }

    @Test func rejectsBadOutputLengths() throws {
        let key = try SecretKey(randomCount: 32)
        #expect(throws: SodiumError.self) { try KeyedHash.hash("x", key: key, outputLength: 8) }
        #expect(throws: SodiumError.self) { try KeyedHash.hash("x", key: key, outputLength: 65) }
    }
}

struct SecretKeyTests {
    @Test func neverPrintsItsBytes() throws {
        let key = try SecretKey(copying: Array(repeating: UInt8(0x41), count: 32))
        #expect("\(key)" == "SecretKey(<redacted>, 32 bytes)")
        #expect(String(reflecting: key) == "SecretKey(<redacted>, 32 bytes)")
        #expect(!"\(key)".contains("QUFB"))
    }

    @Test func base64RoundTripAndConstantTimeEquality() throws {
        let key = try SecretKey(randomCount: 32)
        var text = key.base64EncodedBytes()
        let back = try text.withUnsafeBytes { try SecretKey(base64: $0, expectedCount: 32) }
        secureZero(&text)
        #expect(text.allSatisfy { $0 == 0 })
        #expect(back.isEqual(to: key))
        #expect(!back.isEqual(to: try SecretKey(randomCount: 32)))
        let bad = Array("not base64!!".utf8)
        #expect(throws: (any Error).self) { try bad.withUnsafeBytes { try SecretKey(base64: $0, expectedCount: 32) } }
        let short = Array("QUFB".utf8)
        #expect(throws: (any Error).self) { try short.withUnsafeBytes { try SecretKey(base64: $0, expectedCount: 32) } }
    }
}
