import Foundation
import Synchronization
import Testing

@testable import InteractionMonitor

/// The record decoder against the reference: build the whole JSON object with the generic parser, then read the
/// fields from it. Every line — valid, wrong-typed or malformed — must give the same interaction or fail the same way.
struct RecordLineDecoderTests {
    /// The reference reading of a line: `nil` when it is not a valid interaction.
    static func reference(_ line: [UInt8], fields: InteractionFields = .all) -> Interaction? {
        guard case .object(let o)? = try? JSONValue(parsing: line) else { return nil }
        func string(_ key: String) -> String?? {
            switch o[key] {
            case nil, .null?: return .some(nil)
            case .string(let s)?: return .some(s)
            default: return nil
            }
        }
        guard case .string(let t)? = o["timestamp"], let timestamp = Timestamp(iso8601: t) else { return nil }
        guard case .string(let type)? = o["interaction_type"], case .string(let command)? = o["command"] else { return nil }
        guard case .string(let s)? = o["status"], let status = InteractionStatus(rawValue: s) else { return nil }
        let duration: Double
        switch o["duration_ms"] {
        case .int(let i)?: duration = Double(i)
        case .double(let d)?: duration = d
        case nil, .null?: duration = 0
        default: return nil
        }
        let metadata: [String: JSONValue]
        switch o["metadata"] {
        case .object(let m)?: metadata = m
        case nil, .null?: metadata = [:]
        default: return nil
        }
        guard let error = string("error_message"), let session = string("session_id"), let user = string("user_hash")
        else { return nil }
        return Interaction(
            timestamp: timestamp, interactionType: InteractionType(type),
            command: fields.contains(.command) ? command : "", status: status, durationMs: duration,
            errorMessage: fields.contains(.errorMessage) ? error : nil,
            metadata: fields.contains(.metadata) ? metadata : [:],
            sessionID: fields.contains(.sessionID) ? session : nil, userHash: fields.contains(.userHash) ? user : nil)
    }

    static func decode(_ line: [UInt8], fields: InteractionFields = .all, decoder: inout RecordLineDecoder) -> Interaction? {
        line.withUnsafeBytes { try? decoder.decode($0) }
    }

    static let base = #"{"timestamp":"2026-11-25T09:30:00.123456Z","interaction_type":"cli_command","command":"deploy","status":"failure","duration_ms":12.5,"error_message":"boom","metadata":{"a":[1,"b",{"c":null}],"d":true},"session_id":"s1","user_hash":"0123456789abcdef0123456789abcdef"}"#

    static var variants: [String] {
        var lines = [base]
        // Escapes in keys and values, unicode, duplicates, unknown members, whitespace, other orders.
        lines.append(#"{"time\u0073tamp":"2026-11-25T09:30:00Z","interaction_type":"api\u005frequest","command":"GET \"/x\"\n","status":"succ\u0065ss","duration_ms":-0,"metadata":null,"session_id":null,"user_hash":null}"#)
        lines.append(#" { "status" : "error" , "command" : "é🎉" , "timestamp" : "2026-01-01 00:00:00+01:00" , "interaction_type" : "x" , "extra" : [ {"deep": [1, 2e3, -0.5E-2]} ] } "#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","command":"b","status":"timeout","status":"success","duration_ms":1e400}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","status":"success","duration_ms":123456789012345678901234567890}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","status":"success","duration_ms":0.30000000000000004}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","status":"success","duration_ms":-9223372036854775808}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","status":"success","duration_ms":9007199254740993}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","status":"success","duration_ms":-0.0,"error_message":"x\u0000y"}"#)
        // Wrong types and missing fields: each must fail, built or not.
        for (key, value) in [
            ("timestamp", "5"), ("timestamp", "\"yesterday\""), ("timestamp", "null"), ("interaction_type", "1"),
            ("command", "[]"), ("command", "null"), ("status", "\"ok\""), ("status", "true"), ("duration_ms", "\"5\""),
            ("duration_ms", "{}"), ("error_message", "7"), ("metadata", "[1]"), ("metadata", "\"m\""),
            ("session_id", "{}"), ("user_hash", "false"),
        ] {
            lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a","status":"success","# + "\"\(key)\":\(value)}")
        }
        lines.append(#"{"interaction_type":"t","command":"a","status":"success"}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","command":"a","status":"success"}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","status":"success"}"#)
        lines.append(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a"}"#)
        // Not objects, not JSON, truncated, trailing bytes, bad escapes and numbers anywhere.
        lines += ["[]", "\"x\"", "5", "", "{", "{}", "{\"a\"}", "{\"a\":1,}", #"{"a":01}"#, #"{"a":"\x"}"#, "{\"a\":\"tab\t\"}"]
        lines.append(String(base.dropLast()))
        lines.append(base + " x")
        lines.append(base.replacingOccurrences(of: "12.5", with: "12."))
        lines.append(base.replacingOccurrences(of: "\"d\":true", with: "\"d\":tru"))
        lines.append(base.replacingOccurrences(of: "[1,", with: "[1,,"))
        return lines
    }

    @Test func everyLineDecodesAsTheGenericParserReadsIt() {
        for fields in [InteractionFields.all, [], [.userHash], [.command, .errorMessage], InteractionFields.all.subtracting(.metadata)] {
            var decoder = RecordLineDecoder(fields: fields, interning: true)
            for _ in 0..<2 {  // the second round comes from the table of repeated texts
                for line in Self.variants {
                    let bytes = Array(line.utf8)
                    #expect(Self.decode(bytes, fields: fields, decoder: &decoder) == Self.reference(bytes, fields: fields), "\(line)")
                }
            }
        }
    }

    @Test func invalidUTF8AndLongTextsDecodeAsTheReferenceDoes() {
        var decoder = RecordLineDecoder(fields: .all, interning: true)
        var bytes = Array(#"{"timestamp":"2026-11-25T09:30:00Z","interaction_type":"t","command":"a"#.utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array(#"","status":"success","error_message":""#.utf8)
        bytes += Array(repeating: UInt8(ascii: "e"), count: 5000)
        bytes += Array(#""}"#.utf8)
        for _ in 0..<3 {
            let got = Self.decode(bytes, decoder: &decoder)
            #expect(got != nil && got == Self.reference(bytes))
            #expect(got?.command == "a\u{FFFD}\u{FFFD}")
        }
    }

    @Test func randomRecordsRoundTripThroughTheirStoredLines() throws {
        var rng = SystemRandomNumberGenerator()
        var decoder = RecordLineDecoder(fields: .all, interning: true)
        let texts = ["deploy", "GET /users/:id", "a\"b\\c", "\u{1F600} emoji", String(repeating: "x", count: 40), "\n\t", ""]
        for _ in 0..<2000 {
            let duration: Double
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: duration = Double(Int.random(in: 0..<100_000, using: &rng))
            case 1: duration = Double.random(in: 0..<10_000, using: &rng)
            case 2: duration = Double(Int.random(in: 0..<100_000, using: &rng)) / 3
            default: duration = Double.random(in: 0..<1e-3, using: &rng)
            }
            let i = Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: Int64.random(in: 0..<4_000_000_000_000_000, using: &rng)),
                interactionType: InteractionType(texts.randomElement(using: &rng)!),
                command: texts.randomElement(using: &rng)!, status: InteractionStatus.allCases.randomElement(using: &rng)!,
                durationMs: duration, errorMessage: Bool.random(using: &rng) ? texts.randomElement(using: &rng) : nil,
                metadata: Bool.random(using: &rng) ? ["k": .string(texts.randomElement(using: &rng)!), "n": .array([.int(1), .null])] : [:],
                sessionID: texts.randomElement(using: &rng), userHash: Bool.random(using: &rng) ? texts.randomElement(using: &rng) : nil)
            let line = Array(i.jsonLine.utf8)
            #expect(Self.decode(line, decoder: &decoder) == i, "\(i.jsonLine)")
        }
    }

    @Test func numbersParseToTheCorrectlyRoundedDouble() throws {
        var rng = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "0.0", "-0.0", "1e22", "1e23", "1e-22", "1e-23", "123456789012345", "1234567890123456",
                     "0.1", "0.2", "0.30000000000000004", "2.2250738585072014e-308", "1.7976931348623157e308", "5e-324",
                     "9007199254740993", "-9223372036854775808", "9223372036854775808", "1E+2", "1e-0", "100e-2"]
        for _ in 0..<5000 {
            let digits = Int.random(in: 1...18, using: &rng)
            var t = String(UInt64.random(in: 1...UInt64.max, using: &rng)).prefix(digits)
            if Bool.random(using: &rng), t.count > 1 { t.insert(".", at: t.index(t.startIndex, offsetBy: Int.random(in: 1..<t.count, using: &rng))) }
            var s = (Bool.random(using: &rng) ? "-" : "") + t
            if Int.random(in: 0..<3, using: &rng) == 0 { s += "e\(Int.random(in: -30...30, using: &rng))" }
            texts.append(s)
        }
        // 16 to 19 significant digits divided by a power of ten (how shortest round-trip durations are written),
        // the digits beyond 2^53 that the proven quotient handles, and their neighbours at ties and binade edges.
        for _ in 0..<20_000 {
            let m = UInt64.random(in: (1 << 53)...9_999_999_999_999_999_999, using: &rng)
            var t = String(m)
            let point = Int.random(in: 1..<t.count, using: &rng)
            t.insert(".", at: t.index(t.startIndex, offsetBy: point))
            texts.append((Bool.random(using: &rng) ? "-" : "") + t)
        }
        for _ in 0..<5_000 {
            let d = Double(bitPattern: UInt64.random(in: 0x3F00_0000_0000_0000...0x4340_0000_0000_0000, using: &rng))
            texts.append("\(d)")
            texts.append("\(d.nextUp)")
            texts.append(String(describing: d) + "5")  // just past the shortest digits: near a midpoint
        }
        texts += ["9007199254740993.5", "4503599627370496.5", "4503599627370497.5", "0.30000000000000004440892098500626",
                  "1.0000000000000002220446049250313", "9.999999999999999", "18014398509481985.0", "1.00000000000000011102"]
        for text in texts {
            let bytes = Array(text.utf8)
            let fast: Double? = bytes.withUnsafeBufferPointer { b in
                var p = JSONParser(b)
                guard let d = try? p.double(), p.i == b.count else { return nil }
                return d
            }
            // The reference: an integer that fits Int64 converts from it, anything else is the standard library's
            // correctly rounded reading of the text.
            let integral = !text.contains(where: { ".eE".contains($0) })
            guard let reference = integral ? Int64(text).map(Double.init) ?? Double(text) : Double(text) else {
                Issue.record("not a number: \(text)")
                continue
            }
            #expect(fast?.bitPattern == reference.bitPattern, "\(text)")
        }
    }

    @Test func timestampsParseTheSameWithTheDateRemembered() {
        var rng = SystemRandomNumberGenerator()
        var dates: Timestamp.DateCache? = nil
        let days = ["2026-11-25", "2026-02-28", "2026-02-30", "2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "2026-13-01"]
        let times = ["", "T09:30:00Z", "T23:59:60.5Z", "T00:00:00+01:00", "T23:00:00-02:00", " 12:00:00.1234567", "T25:00:00Z", "x", "T10:00"]
        for _ in 0..<3000 {
            let text = days.randomElement(using: &rng)! + times.randomElement(using: &rng)!
            let expected = Timestamp(iso8601: text)
            let got = Array(text.utf8).withUnsafeBufferPointer { Timestamp(iso8601UTF8: $0, dates: &dates) }
            #expect(got == expected, "\(text)")
        }
    }

    @Test func plainRunsEndAtTheFirstQuoteBackslashOrControlCharacter() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let bytes = (0..<n).map { _ in
                switch Int.random(in: 0..<20, using: &rng) {
                case 0: UInt8(ascii: "\"")
                case 1: UInt8(ascii: "\\")
                case 2: UInt8.random(in: 0..<0x20, using: &rng)
                default: UInt8.random(in: 0x20...0xFF, using: &rng)
                }
            }
            let start = Int.random(in: 0...n, using: &rng)
            let expected = bytes[start...].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? n
            bytes.withUnsafeBufferPointer { b in #expect(JSONParser(b).plainEnd(from: start) == expected, "\(bytes) from \(start)") }
        }
    }

    @Test func theTableOfRepeatedTextsStaysBounded() {
        var table = InternedTexts(limit: 100, arenaLimit: 1000)
        for n in 0..<10_000 {
            let text = "text number \(n % 300) " + String(repeating: "y", count: n % 7)
            let got = Array(text.utf8).withUnsafeBufferPointer { table.text($0) }
            #expect(got == text)
        }
        #expect(table.count <= 100)
        var none = InternedTexts(limit: 0)
        #expect(Array("abc".utf8).withUnsafeBufferPointer { none.text($0) } == "abc" && none.count == 0)
        let long = String(repeating: "z", count: InternedTexts.maximumLength + 1)
        #expect(Array(long.utf8).withUnsafeBufferPointer { table.text($0) } == long)
        // Texts alike but for one byte, at every place and length (kept ones are compared word by word).
        var alike = InternedTexts()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            var bytes = Array(repeating: UInt8(ascii: "a"), count: Int.random(in: 1...40, using: &rng))
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8(ascii: "b")
            let got = bytes.withUnsafeBufferPointer { alike.text($0) }
            #expect(Array(got.utf8) == bytes)
        }
    }

    @Test func theInternerNumbersDistinctStringsInOrder() {
        var interner = StringInterner()
        let words = (0..<5000).map { "user-hash-\($0 % 1200)-" + String(repeating: "h", count: 20) }
        for w in words { _ = interner.id(w) }
        #expect(interner.count == 1200)
        for (k, w) in words.prefix(1200).enumerated() { #expect(interner.id(w) == k && interner.strings[k] == w) }
        #expect(interner.existingID("never seen") == nil)
    }

    @Test func theInternerKeepsItsNumbersWhenMoreCopiesCameThanItRemembersByIdentity() {
        var interner = StringInterner()
        // 100,000 separate copies of 300 texts: more copies than the identity table holds, so it restarts.
        for n in 0..<100_000 {
            let copy = String(decoding: Array("text \(n % 300) ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 20), as: UTF8.self)
            #expect(interner.id(copy) == n % 300)
        }
        #expect(interner.count == 300)
    }

    @Test func workerThreadsRunEveryJobAndEnd() {
        let workers = WorkerThreads(count: 3)
        let done = NSCondition()
        let sum = Locked((total: 0, jobs: 0))
        for n in 1...1000 {
            workers.submit {
                sum.withLock { $0.total += n; $0.jobs += 1 }
                done.lock()
                done.broadcast()
                done.unlock()
            }
        }
        done.lock()
        while sum.withLock({ $0.jobs }) < 1000 { _ = done.wait(until: Date().addingTimeInterval(0.05)) }
        done.unlock()
        workers.finish()
        #expect(sum.withLock { $0.total } == 500_500)
    }
}
