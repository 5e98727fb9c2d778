/// Removes personal data and secrets from free text before it is recorded.
///
/// The built-in detectors are hand-written, linear-time scanners over UTF-8 bytes
/// (no regular expressions on the hot path). Every detected span is replaced by a
/// typed placeholder (see ``PIICategory/placeholder``): `[EMAIL]`, `[PHONE]`,
/// `[CARD]`, `[IPV4]`, `[IPV6]`, `[SSN]`, `[IBAN]`, `[JWT]`, `[CREDENTIAL]`,
/// `[API_KEY]`, `[PRIVATE_KEY]`, `[CREDENTIALS]` (URL user-info), `[SECRET]`
/// (values of secret-named keys), `[USER]` (home-directory names), `[MAC]`, and for personal
/// fields named by their key `[DOB]`, `[ADDRESS]`, `[GEO]`, `[ID_NUMBER]` and `[DEVICE_ID]`.
/// User-supplied ``ScrubberConfiguration/extraPatterns`` run afterwards.
///
/// Guarantees: scrubbing never traps, terminates in time linear in the input
/// (for the built-in detectors), and the output is at most the input length plus
/// a small constant per replacement (placeholders are ≤ 15 bytes).
///
/// ## Detection choices
/// The scrubber favours recall on the categories above while keeping ordinary telemetry
/// (versions, timestamps, ids, routes, numbers) byte-identical:
/// - Numbers are only considered at the start of a token: digits glued to a previous token
///   by `.`, `-` or `_` (`v1.2.3.4`, `ERR-5001`, UUID parts) or to letters never match.
/// - Cards must pass Luhn and start with a card-network prefix (2x, 3x, 4, 5, 6); the whole
///   run of digit groups must be the card, so a 19-digit tracking number is left alone (and so
///   is a card immediately followed by a same-separator CVV group).
/// - Phones need a `+`/`00` prefix, a national trunk `0`, or North American grouping
///   (`(202) 555-0143`, `202-555-0143`); plain digit strings are only phones as the value of a
///   phone-named key (`phone=2025550143`). A 10–11 digit string starting `0[1-9]` is taken as
///   a phone (`0612345678`), so zero-prefixed ids of that length are redacted too.
/// - A bare dotted quad is an IPv4 address (`1.2.3.4`), except when labelled as a version/OID
///   (`version 1.2.3.4`, `OID 2.5.4.3`), in a product token (`Chrome/120.0.0.0`), part of a
///   longer dotted number (`1.2.3.4.5`) or a CIDR network (`10.0.0.0/8`). Loopback and
///   unspecified addresses (`127.0.0.0/8`, `0.0.0.0`, `::1`) identify no one and are kept.
/// - IPv6 needs valid syntax and at least one decimal digit (`a::b`, `std::vector` and
///   `12:30:45` stay), and network prefixes (`fd00::/8`) are kept.
/// - `key=value` secrets are recognised by the key name (see ``isSensitiveKey(_:)``); `null`,
///   `true`/`false`, masks (`****`), templates (`${DB_PASSWORD}`) and placeholders stay.
///
/// ```swift
/// let scrubber = PIIScrubber()
/// scrubber.scrub("mail alice@example.com from 10.1.2.3")  // "mail [EMAIL] from [IPV4]"
/// scrubber.isSensitiveKey("X-Api-Key")                   // true
/// ```
public struct PIIScrubber: Sendable {
    /// The configuration this scrubber was created with.
    public let configuration: ScrubberConfiguration
    private let rules: PIIKeyRules
    private let hasExtraPatterns: Bool

    /// Creates a scrubber with the given configuration (built-in rules only by default).
    public init(configuration: ScrubberConfiguration = .init()) {
        self.configuration = configuration
        self.hasExtraPatterns = !configuration.extraPatterns.isEmpty
        self.rules = PIIKeyRules(
            allowed: configuration.allowedMetadataKeys,
            sensitive: configuration.sensitiveKeys
        )
    }

    /// Returns text with every detected span replaced by a typed placeholder.
    ///
    /// Text without any detection is returned unchanged (same contents, no copy).
    public func scrub(_ text: String) -> String {
        guard hasExtraPatterns else { return scrubBuiltIn(text) }
        return applyExtraPatterns(scrubBuiltIn(text))
    }

    @inline(never) private func applyExtraPatterns(_ text: String) -> String {
        var result = text
        for pattern in configuration.extraPatterns {
            result = pattern.replaceMatches(in: result)
        }
        return result
    }

    /// True when a metadata key names a secret whose whole value must be redacted.
    ///
    /// Keys are compared ignoring ASCII case and `-`, `_`, `.` and spaces. Sensitive are
    /// keys such as `password`, `passwd`, `secret`, `token`, `api_key`/`apikey`,
    /// `authorization`, `auth`, `cookie`, `set-cookie`, `session`, `private_key`,
    /// `credential(s)`, `client_secret`, `access_token`, `refresh_token`, and keys ending in
    /// such a word (`db_password`, `github_token`, `x-api-key`), plus the configuration's
    /// ``ScrubberConfiguration/sensitiveKeys``. Keys in
    /// ``ScrubberConfiguration/allowedMetadataKeys`` are never sensitive. Ordinary fields
    /// such as `session_id`, `token_count` or `max_tokens` are not sensitive.
    public func isSensitiveKey(_ key: String) -> Bool {
        let normalized = PIIKeyClassifier.normalize(key)
        if rules.allowed.contains(normalized) { return false }
        if rules.sensitive.contains(normalized) { return true }
        var key = key
        return key.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            let bytes = PIIBytes(base: base, count: buffer.count)
            return PIIKeyClassifier.classify(bytes, 0, buffer.count)?.redactsWholeValue ?? false
        }
    }

    /// The spans found by the built-in detectors, as (UTF-8 offset range, category) pairs.
    func detect(_ text: String) -> [(range: Range<Int>, category: PIICategory)] {
        let rules = self.rules
        let spans: [PIISpan]? = text.utf8.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return [] }
            var scanner = PIIScanner(bytes: PIIBytes(base: base, count: buffer.count), rules: rules)
            scanner.run()
            return scanner.spans.array
        }
        let found = spans ?? {
            var copy = text
            copy.makeContiguousUTF8()
            return copy.utf8.withContiguousStorageIfAvailable { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else { return [] }
                var scanner = PIIScanner(bytes: PIIBytes(base: base, count: buffer.count), rules: rules)
                scanner.run()
                return scanner.spans.array
            } ?? []
        }()
        return found.map { ($0.start..<$0.end, $0.category) }
    }

    @inline(__always) private func scrubBuiltIn(_ text: String) -> String {
        let rules = self.rules
        if let result = text.utf8.withContiguousStorageIfAvailable({ Self.scrub($0, rules) }) {
            return result ?? text
        }
        var copy = text
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable({ Self.scrub($0, rules) })?.flatMap { $0 } ?? copy
    }

    /// Scans `buffer` and renders the scrubbed text, or returns `nil` when nothing was found.
    private static func scrub(_ buffer: UnsafeBufferPointer<UInt8>, _ rules: PIIKeyRules) -> String? {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
        if buffer.count > Self.chunkBytes { return scrubInChunks(buffer, rules) }
        if PIIScanner.isShortWord(buffer) { return nil }
        let bytes = PIIBytes(base: base, count: buffer.count)
        var scanner = PIIScanner(bytes: bytes, rules: rules)
        scanner.run()
        guard !scanner.spans.isEmpty else { return nil }
        // A field that is one detected value (an address, a phone number) becomes its placeholder.
        if scanner.spans.count == 1 {
            let span = scanner.spans[0]
            if span.start == 0 && span.end == bytes.count { return span.category.placeholder }
        }
        return render(bytes, scanner.spans)
    }

    /// Texts longer than this (spans hold 32-bit offsets) are scrubbed in pieces of this size, each
    /// ending at a line break where there is one.
    private static let chunkBytes = 1 << 30

    private static func scrubInChunks(_ buffer: UnsafeBufferPointer<UInt8>, _ rules: PIIKeyRules) -> String {
        var output = ""
        var start = 0
        while start < buffer.count {
            var end = min(buffer.count, start + chunkBytes)
            if end < buffer.count, let newline = buffer[start..<end].lastIndex(of: UInt8(ascii: "\n")) {
                end = newline + 1
            }
            let piece = UnsafeBufferPointer(rebasing: buffer[start..<end])
            output += scrub(piece, rules) ?? String(decoding: piece, as: UTF8.self)
            start = end
        }
        return output
    }

    private static func render(_ bytes: PIIBytes, _ spans: borrowing PIISpanList) -> String {
        var length = bytes.count
        for index in 0..<spans.count {
            let span = spans[index]
            length += span.category.placeholderBytes.utf8CodeUnitCount - (span.end - span.start)
        }
        return String(unsafeUninitializedCapacity: length) { out in
            guard let target = out.baseAddress else { return 0 }
            var w = 0
            var r = 0
            for index in 0..<spans.count {
                let span = spans[index]
                let keep = span.start - r
                if keep > 0 {
                    (target + w).update(from: bytes.base + r, count: keep)
                    w += keep
                }
                let placeholder = span.category.placeholderBytes
                let count = placeholder.utf8CodeUnitCount
                (target + w).update(from: placeholder.utf8Start, count: count)
                w += count
                r = span.end
            }
            let rest = bytes.count - r
            if rest > 0 {
                (target + w).update(from: bytes.base + r, count: rest)
                w += rest
            }
            return w
        }
    }
}
