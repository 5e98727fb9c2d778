extension PIIDetectors {
    /// Percent-encoded values (`phone=%2B44%2020%207946%200958`, `q=noah%252Btest%2540fastmail.fm`):
    /// the value around a `%XX` escape is decoded (up to three times, `+` as a space) and scanned
    /// again; when the decoded text holds anything, the whole encoded value is replaced.
    enum PercentEncoded {
        /// Anchored at a `%` followed by two hex digits; `floor` is the end of the previous match.
        static func match(_ b: PIIBytes, at i: Int, floor: Int, rules: PIIKeyRules) -> PIISpan? {
            var s = i
            let lo = max(floor, i - 512)
            while s > lo && !endsValue(b[s - 1]) { s -= 1 }
            var e = i
            let hi = min(b.count, i + 4096)
            while e < hi && !endsValue(b[e]) { e += 1 }
            var decoded = [UInt8](UnsafeBufferPointer(start: b.base + s, count: e - s))
            var changed = false
            for pass in 0..<3 {
                guard let next = decode(decoded, plusIsSpace: pass == 0) else { break }
                decoded = next
                changed = true
            }
            guard changed else { return nil }
            // The value of `key=…` is scanned with its key, so that key-named fields
            // (`birthdate=October+1%2C+1980`) are recognised after decoding too.
            var k = s
            if b[s - 1] == UInt8(ascii: "=") {
                k = s - 1
                while k > lo && PIIASCII.isIdent(b[k - 1]) { k -= 1 }
            }
            let keyLength = s - k
            if keyLength > 0 {
                decoded.insert(contentsOf: UnsafeBufferPointer(start: b.base + k, count: keyLength), at: 0)
            }
            let category: PIICategory? = decoded.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
                var scanner = PIIScanner(
                    bytes: PIIBytes(base: base, count: buffer.count), rules: rules, decodesPercent: false)
                scanner.run()
                for index in 0..<scanner.spans.count where scanner.spans[index].end > keyLength {
                    return scanner.spans[index].category
                }
                return nil
            }
            guard let category else { return nil }
            return PIISpan(s, e, category)
        }

        @inline(__always) private static func endsValue(_ c: UInt8) -> Bool {
            switch c {
            case 0, UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: " "), UInt8(ascii: "\t"),
                UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "#"),
                UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"):
                true
            default:
                false
            }
        }

        /// One decoding pass, or `nil` when nothing was escaped.
        private static func decode(_ bytes: [UInt8], plusIsSpace: Bool) -> [UInt8]? {
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var changed = false
            var k = 0
            while k < bytes.count {
                let c = bytes[k]
                if c == UInt8(ascii: "%"), k + 2 < bytes.count, let h = hex(bytes[k + 1]), let l = hex(bytes[k + 2]) {
                    out.append(h << 4 | l)
                    k += 3
                    changed = true
                    continue
                }
                if c == UInt8(ascii: "+") && plusIsSpace {
                    out.append(UInt8(ascii: " "))
                    changed = true
                } else {
                    out.append(c)
                }
                k += 1
            }
            return changed ? out : nil
        }

        @inline(__always) private static func hex(_ c: UInt8) -> UInt8? {
            if PIIASCII.isDigit(c) { return c &- 0x30 }
            let l = c | 0x20
            if l >= UInt8(ascii: "a") && l <= UInt8(ascii: "f") { return l &- 0x57 }
            return nil
        }
    }
}
