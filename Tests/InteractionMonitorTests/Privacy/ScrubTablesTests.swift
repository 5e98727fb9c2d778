import Foundation
import Testing

@testable import InteractionMonitor

/// The constant tables that keep the scrubber's per-field path short must agree with the rules and
/// data they summarise: a rule or provider added without its table entry would silently never match.
struct ScrubTablesTests {
    /// The scanner's constant set of credential first bytes covers every provider prefix.
    @Test func credentialFirstBytesCoverEveryProviderPrefix() {
        for entry in PIIProviderPrefixes.all {
            let first = entry.prefix.utf8Start[0]
            #expect(PIIScanner.startsCredential(first), "\(entry.provider): \(entry.prefix)")
        }
        for c in "ASMNO".utf8 { #expect(PIIScanner.startsCredential(c)) }
        for c in UInt8(0)...UInt8(255) where PIIScanner.startsCredential(c) {
            let listed = !PIIProviderPrefixes.byFirstByte[Int(c)].isEmpty || "ASMNO".utf8.contains(c)
            #expect(listed, "byte \(c) is in the set but starts no credential")
        }
    }

    /// Every recognised credential is at least 15 characters long, which lets the scanner skip
    /// shorter words and fields (``PIIScanner/isShortWord(_:)``).
    @Test func everyProviderCredentialIsAtLeastFifteenCharacters() {
        for entry in PIIProviderPrefixes.all {
            #expect(entry.prefix.utf8CodeUnitCount + entry.minimum >= 15, "\(entry.provider)")
        }
    }

    /// Every key name the classifier compares against passes its ending filter
    /// (``PIIKeyClassifier/hasRuleEnding(_:)``): each name (alone, after a prefix word for rules that
    /// need one, or before `_number` for identity-number abbreviations) is still classified.
    @Test func everyKeyRuleNamePassesTheTailFilter() throws {
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources/InteractionMonitor/Privacy/Scrubbing/PIIKeyClassifier.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let pattern = try Regex(#"(?:suffix|exact)\("([a-z0-9]+)"\)|wordSuffix\(b, start, end, "([a-z0-9]+)""#)
        var names: Set<String> = []
        for match in text.matches(of: pattern) {
            if let name = match.output[1].substring ?? match.output[2].substring { names.insert(String(name)) }
        }
        #expect(names.count > 100)
        let scrubber = PIIScrubber()
        // `publickeytoken` is the one name whose rule says "not sensitive"; number-only rules need a value.
        for name in names.subtracting(["publickeytoken"]) {
            let classified = [name, "x_" + name, name + "_number"].contains { key in
                var key = key
                return key.withUTF8 { buffer in
                    guard let base = buffer.baseAddress else { return false }
                    return PIIKeyClassifier.classify(PIIBytes(base: base, count: buffer.count), 0, buffer.count) != nil
                }
            }
            #expect(classified, "\(name) is rejected before its rule runs")
        }
        #expect(!scrubber.isSensitiveKey("PublicKeyToken"))
    }

    /// The placeholder strings returned for whole-field matches equal the bytes written elsewhere.
    @Test(arguments: PIICategory.allCases)
    func placeholderStringMatchesItsBytes(category: PIICategory) {
        #expect(category.placeholder == category.placeholderBytes.description)
    }

    /// Short identifier fields are returned unchanged without a scan; anything else is scanned.
    @Test func shortWordsAreExactlyTheShortLetterFields() {
        func isShort(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { PIIScanner.isShortWord($0) }
        }
        #expect(isShort("region") && isShort("dry_run") && isShort("a") && isShort("ABCDEFGHIJKLMN"))
        #expect(!isShort("") && !isShort("ABCDEFGHIJKLMNO") && !isShort("eu-west-1") && !isShort("two words"))
        #expect(!isShort("v2") && !isShort("é") && !isShort("a@b") && !isShort("key=x"))
        for length in 1...14 {
            for position in 0..<length {
                for byte: UInt8 in [0x2D, 0x30, 0x40, 0x5B, 0x60, 0x7B, 0x80, 0xC3, 0x20] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = byte
                    #expect(!bytes.withUnsafeBufferPointer { PIIScanner.isShortWord($0) }, "\(bytes)")
                }
            }
        }
    }
}
