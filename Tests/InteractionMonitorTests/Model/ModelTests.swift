import Foundation
import Testing

@testable import InteractionMonitor

struct ModelTests {
    @Test func timestampsFormatAndParseWithMicroseconds() throws {
        let t = try #require(Timestamp(iso8601: "2026-11-25T09:30:00.123456Z"))
        #expect(t.iso8601 == "2026-11-25T09:30:00.123456Z")
        #expect(Timestamp(iso8601: "2026-11-25T10:30:00.123456+01:00") == t)
        #expect(Timestamp(iso8601: "2026-11-25 09:30:00.1234567Z") == t)
        #expect(Timestamp(iso8601: "2026-11-25T09:30:00Z")?.iso8601 == "2026-11-25T09:30:00.000000Z")
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59.999999Z")?.microsecondsSinceEpoch == -1)
        #expect(Timestamp(microsecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999999Z")
        for bad in ["", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-25T25:00:00Z", "yesterday", "2026-11-25T09:30:00.Z"] {
            #expect(Timestamp(iso8601: bad) == nil, "\(bad)")
        }
        #expect(Timestamp(iso8601: "2024-02-29T00:00:00Z")?.day.description == "2024-02-29")
    }

    @Test func daysParseStrictly() {
        #expect(Day("2026-11-25")?.description == "2026-11-25")
        #expect(Day("2026-11-25")?.advanced(by: 7).description == "2026-12-02")
        for bad in ["2026-1-25", "2026-11-31", "20261125", "2026-11-25x", ""] { #expect(Day(bad) == nil) }
    }

    @Test func jsonLineRoundTripsThroughTheDecoder() throws {
        let i = Interaction(
            timestamp: Timestamp(iso8601: "2026-11-25T09:30:00.123456Z")!, interactionType: .apiRequest,
            command: "GET \"quoted\" \\ back\nslash\u{1}", status: .timeout, durationMs: 12.25, errorMessage: "é 🎉",
            metadata: ["a": [1, 2.5, "x", nil, true], "b": ["nested": ["deep": -3]], "big": .int(Int64.max)],
            sessionID: nil, userHash: "abc")
        let line = i.jsonLine
        #expect(line.hasPrefix("{\"timestamp\":\"2026-11-25T09:30:00.123456Z\",\"interaction_type\":\"api_request\""))
        let back = try JSONDecoder().decode(Interaction.self, from: Data(line.utf8))
        #expect(back == i)
    }
}
