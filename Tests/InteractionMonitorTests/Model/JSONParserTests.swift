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
}
