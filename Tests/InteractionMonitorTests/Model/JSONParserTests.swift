import Foundation
import Testing

@testable import InteractionMonitor

struct JSONParserTests {
    func parse(_ s: String) throws -> JSONValue { try JSONValue(parsing: Array(s.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        #expect(
            try parse(#" {"a": [1, -2, 3.5, 1e3, -0.25E-2, true, false, null], "b": {"c": "d"}, "e": ""} "#)
                == ["a": [1, -2, 3.5, 1000.0, -0.0025, true, false, nil], "b": ["c": "d"], "e": ""])
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f\u00e9\ud83c\udf89""#) == .string("a\"b\\c/d\n\t\r\u{8}\u{c}é🎉"))
        #expect(try parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test func rejectsMalformedInputWithoutCrashing() {
        for bad in [
            "", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "nul", "\"abc", "\"\\x\"",
            "\"\\u12\"", "[1] 2", "{\"a\":1,}", "\"tab\there\"", "{1:2}",
        ] {
            #expect(throws: InteractionMonitorError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test func deepNestingIsRejectedNotARecursionCrash() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: InteractionMonitorError.self) { try parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        _ = try parse(ok)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0xFE, 0x62, 0x22]
        #expect(try JSONValue(parsing: bytes) == .string("a\u{FFFD}\u{FFFD}b"))
    }

    @Test func storedLinesRoundTripThroughTheFastParser() throws {
        let i = Interaction(
            timestamp: Timestamp(iso8601: "2026-11-25T09:30:00.5Z")!, interactionType: "custom", command: "x\ny\"z",
            status: .error, durationMs: 0.125, errorMessage: nil, metadata: ["k": ["n": [1, 2]]], sessionID: "s",
            userHash: nil)
        #expect(try Interaction(jsonLine: Array(i.jsonLine.utf8)) == i)
        #expect(throws: InteractionMonitorError.self) { try Interaction(jsonLine: Array(#"{"command":"x"}"#.utf8)) }
    }

    @Test func membersComeInOrderAndSkippedValuesAreCheckedButNotBuilt() throws {
        let doc = Array(#" {"a": 1, "m": {"k": ["x\"y", {"z": null}, -2.5e3, "\u00e9"]}, "a": "last"} "#.utf8)
        var seen: [(String, JSONValue)] = []
        #expect(try JSONParser.forEachMember(doc) { seen.append(($0, $1)) })
        #expect(seen.map(\.0) == ["a", "m", "a"] && seen[2].1 == "last")
        seen = []
        #expect(try JSONParser.forEachMember(doc, skip: { $0 == "m" }) { seen.append(($0, $1)) })
        #expect(seen.map(\.0) == ["a", "a"])
        #expect(try !JSONParser.forEachMember(Array("[1, 2]".utf8)) { _, _ in })
        // A skipped value is still checked: every malformed value fails as it does when parsed.
        for bad in ["{", "[1,]", "{\"a\":}", "\"abc", "\"\\x\"", "\"\\u12\"", "{\"a\":1,}", "\"tab\there\"", "{1:2}", "tru", "01"] {
            let line = Array(#"{"m": "#.utf8) + Array(bad.utf8) + Array("}".utf8)
            #expect(throws: JSONParser.Failure.self, "\(bad)") { _ = try JSONParser.forEachMember(line, skip: { _ in true }) { _, _ in } }
        }
        let deep = Array(#"{"m": "#.utf8) + Array(repeating: UInt8(ascii: "["), count: 600) + Array(repeating: UInt8(ascii: "]"), count: 600) + Array("}".utf8)
        #expect(throws: JSONParser.Failure.self) { _ = try JSONParser.forEachMember(deep, skip: { _ in true }) { _, _ in } }
    }

    @Test func aRecordReadWithoutMetadataEqualsTheRecordWithItsMetadataRemoved() throws {
        let i = Interaction(
            timestamp: Timestamp(iso8601: "2026-11-20T10:00:00Z")!, interactionType: .cliCommand, command: "deploy",
            status: .failure, durationMs: 12.5, errorMessage: "boom", metadata: ["a": ["b": [1, "c"]], "d": "e"],
            sessionID: "s", userHash: "u")
        var stripped = i
        stripped.metadata = [:]
        #expect(try Interaction(jsonLine: Array(i.jsonLine.utf8), metadata: false) == stripped)
        #expect(try Interaction(jsonLine: Array(i.jsonLine.utf8), metadata: true) == i)
    }

    @Test func integersAreWrittenAsStringWouldWriteThem() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 12345, -98765, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 { values.append(Int64.random(in: Int64.min...Int64.max, using: &rng) >> Int64.random(in: 0...62, using: &rng)) }
        for v in values {
            var w = JSONWriter()
            w.integer(v)
            #expect(String(decoding: w.bytes, as: UTF8.self) == String(v))
            var d = JSONWriter()
            d.value(.int(v))
            #expect(String(decoding: d.bytes, as: UTF8.self) == String(v))
        }
    }

    @Test func doublesAreWrittenAsTheirShortestDigitsAndGrowTheWriter() {
        var values: [Double] = [0.5, -0.25, 1e15, 1e16, 1.5e300, -2.2250738585072014e-308, .leastNonzeroMagnitude, 0.1, 279.3333333333333,
                                .nan, .infinity, -.infinity, 123456789.123456789, 1e-7]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 { values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))) }
        for _ in 0..<1000 { values.append(Double.random(in: 0..<100_000, using: &rng)) }
        // Decimals of a few places (durations to the nanosecond and coarser), near the short path's bounds too.
        values += [0.0001, -0.0001, 0.00011, 0.000_099_9, 0.000999, 999_999_999.999999, 999_999_999.5, 1e9 + 0.5,
                   -123.456789, 0.000_1234, 1.000001, 0.1 + 0.2, 0.3, 2.675, 1.0000005, 0.25, 973.1, 0.01234567]
        for _ in 0..<6000 {
            var scale = 1.0
            for _ in 0..<Int.random(in: 1...7, using: &rng) { scale *= 10 }
            let k = Int64.random(in: -(Int64(1) << 50)...(Int64(1) << 50), using: &rng) >> Int64.random(in: 0...48, using: &rng)
            values.append(Double(k) / scale)
        }
        // One small writer for all of them: it grows as it must, and what it holds stays in order.
        var all = JSONWriter(reservingCapacity: 1)
        var expected: [UInt8] = []
        for v in values {
            var w = JSONWriter()
            w.double(v)
            let text: String
            if !v.isFinite { text = "null" } else if v == v.rounded(), abs(v) < 1e15 { text = String(Int64(v)) } else { text = String(v) }
            #expect(String(decoding: w.bytes, as: UTF8.self) == text)
            all.double(v)
            all.append(UInt8(ascii: ","))
            expected += Array(text.utf8) + [UInt8(ascii: ",")]
        }
        #expect(all.bytes == expected)
    }
}
