// libFuzzer entry point for every parser that reads bytes from disk or users. Which one is chosen by the
// environment variable IM_FUZZ_TARGET: segment, keyring, optouts, manifest, ingest, scrubber, json.
// Build and run with Scripts/fuzz.sh (swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library).
import Foundation
import InteractionMonitorTestKit

@testable import InteractionMonitor
@testable import InteractionMonitorCLI

enum FuzzTarget: String {
    case segment, keyring, optouts, manifest, ingest, scrubber, json
}

let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["IM_FUZZ_TARGET"] ?? "segment"
    guard let t = FuzzTarget(rawValue: name) else { fatalError("unknown IM_FUZZ_TARGET \(name)") }
    return t
}()

let keyring: Keyring = {
    do { return try Keyring.deterministic(seed: 7) } catch { fatalError("fuzz setup: \(error)") }
}()
let kek: KeyringSecret = {
    do { return try KeyringSecret.keyEncryptionKey(encoded: String(repeating: "42", count: 32)) } catch {
        fatalError("fuzz setup: \(error)")
    }
}()
let scrubber = PIIScrubber()
/// The store id the seed frames are sealed for.
let fuzzStoreID = [UInt8](repeating: 0x11, count: 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case .segment:
        // As a day file: scan, open, parse, verify — through the public reader.
        let store = InMemorySegmentStore()
        store.setDayForFuzzing(Day(daysSinceEpoch: 20_000), bytes: bytes)
        let reader = DecryptingReader(store: store, keyring: keyring)
        _ = try? reader.read { _ in }
        _ = try? reader.verify()
        _ = try? SealedBlob.open(bytes, keyring: keyring, what: "fuzz", name: "optouts.enc", storeID: fuzzStoreID)
    case .keyring:
        _ = try? Keyring.decode(bytes, directory: nil, path: "fuzz", secret: nil, location: "")
        _ = try? Keyring.decode(bytes, directory: nil, path: "fuzz", secret: kek, location: "")
    case .optouts:
        _ = OptOutRegistry.decode(bytes)
        _ = try? OptOutRegistry.open(bytes, keyring: keyring, storeID: fuzzStoreID)
    case .manifest:
        _ = StoreManifest.decode(bytes)
        _ = StoreManifest.open(bytes, keyring: keyring)
    case .ingest:
        _ = try? RawInteractionLine(bytes)
        _ = try? Interaction(jsonLine: bytes)
    case .scrubber:
        let text = String(decoding: bytes, as: UTF8.self)
        let out = scrubber.scrub(text)
        // Output never grows without bound: placeholders are at most a few times the span they replace.
        if out.utf8.count > 4 * text.utf8.count + 64 { fatalError("scrubber output grew from \(text.utf8.count) to \(out.utf8.count) bytes") }
        _ = scrubber.isSensitiveKey(text)
    case .json:
        _ = try? JSONValue(parsing: bytes)
    }
    return 0
}

/// With IM_FUZZ_WRITE_SEEDS=DIR, writes generated seed corpora (DIR/<target>/…) and exits: valid sealed segments,
/// keyrings of both formats, registries, manifests, ingest lines and JSON — nothing downloaded.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    // Create the shared state now, not inside the first run (LeakSanitizer would flag lazy globals).
    _ = (target, keyring, kek, scrubber.isSensitiveKey("password"))
    guard let dir = ProcessInfo.processInfo.environment["IM_FUZZ_WRITE_SEEDS"] else { return 0 }
    func write(_ t: FuzzTarget, _ name: String, _ bytes: [UInt8]) {
        let d = dir + "/" + t.rawValue
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: d + "/" + name, contents: Data(bytes))
    }
    let day = Day(daysSinceEpoch: 20_000)
    var records: [Interaction] = []
    for n in 0..<5 {
        let ts = Timestamp(microsecondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400_000_000 + Int64(n))
        let status: InteractionStatus = n == 2 ? .failure : .success
        let error: String? = n == 2 ? "boom" : nil
        let metadata: [String: JSONValue] = ["k": .string("v"), "n": .int(Int64(n))]
        records.append(
            Interaction(
                timestamp: ts, interactionType: .cliCommand, command: "cmd \(n)", status: status, durationMs: Double(n),
                errorMessage: error, metadata: metadata, sessionID: "s", userHash: String(repeating: "ab", count: 16)))
    }
    if let (frames, _) = try? SegmentWriter.seal(
        records, day: day, from: .start, batchSize: 2, keyring: keyring, storeID: fuzzStoreID) {
        let file = frames.flatMap { $0 }
        write(.segment, "day", file)
        write(.segment, "torn", Array(file.dropLast(7)))
        write(.segment, "one", frames[0])
    }
    var text = keyring.serialize()
    write(.keyring, "plain", text)
    if let sealing = try? KeyringSealing.make(secret: kek, strength: .interactive), let sealed = try? sealing.seal(text) {
        write(.keyring, "kek", sealed)
    }
    secureWipeForSeeds(&text)
    var registry = OptOutRegistry()
    registry.insert(.init(hashKeyID: keyring.activeHashKeyID, userHash: String(repeating: "cd", count: 16), since: Timestamp(microsecondsSinceEpoch: 0)))
    write(.optouts, "plain", registry.encoded())
    if let sealed = try? SealedBlob.seal(
        registry.encoded(), keyring: keyring, storeID: fuzzStoreID, name: "optouts.enc") { write(.optouts, "sealed", sealed) }
    var manifest = StoreManifest()
    manifest.entries[day] = .init(current: .init(count: 3, lastTag: SegmentCodec.zeroTag), alternate: nil, hashKeys: [keyring.activeHashKeyID])
    write(.manifest, "plain", manifest.encoded())
    if let sealed = try? manifest.sealed(keyring: keyring) { write(.manifest, "sealed", sealed) }
    write(.ingest, "line", Array(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"api_request","command":"GET /users/:id","status":"failure","duration_ms":35.2,"user_id":"alice","session_id":"s-1","error_message":"not found","metadata":{"expert":"api","tags":["a","b"],"n":null}}"#.utf8))
    for r in records { write(.ingest, "stored-\(r.durationMs)", Array(r.jsonLine.utf8)) }
    write(.json, "nested", Array(#"{"a":[1,2.5,-3e7,true,false,null,"\u00e9\n"],"b":{"c":{}}}"#.utf8))
    for (i, s) in ["mail alice@example.com from 203.0.113.7", "card 4111 1111 1111 1111", "Authorization: Bearer abc.def.ghi",
        "/home/alice/x", "password=hunter2", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----", "DE89370400440532013000",
        "00:1A:2B:3C:4D:5E fe80::1 +44 20 7946 0958 123-45-6789"].enumerated()
    {
        write(.scrubber, "s\(i)", Array(s.utf8))
    }
    exit(0)
}

func secureWipeForSeeds(_ bytes: inout [UInt8]) { for i in bytes.indices { bytes[i] = 0 } }

/// libFuzzer's driver (libclang_rt.fuzzer).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("im_fuzz_main")
public func imFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzOne(data, size) }
}
