extension PIIDetectors {
    /// PEM private key blocks, from `-----BEGIN … PRIVATE KEY-----` to the matching `END`
    /// line, or to the end of the text when the `END` line is missing (truncated logs).
    enum PrivateKey {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard b.matches("-----BEGIN ", at: i) else { return nil }
            let labelStart = i + 11
            let hi = min(b.count, labelStart + 80)
            var p = labelStart
            var labelEnd = -1
            while p < hi {
                let c = b[p]
                if c == UInt8(ascii: "-") && b.matches("-----", at: p) {
                    labelEnd = p
                    break
                }
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
                p += 1
            }
            guard labelEnd > 0, b.contains("PRIVATE KEY", from: labelStart, to: labelEnd) else { return nil }
            var q = labelEnd + 5
            while q < b.count {
                if b[q] == UInt8(ascii: "-") && b.matches("-----END ", at: q) {
                    var r = q + 9
                    let limit = min(b.count, r + 80)
                    while r < limit {
                        if b[r] == UInt8(ascii: "-") && b.matches("-----", at: r) { return PIISpan(i, r + 5, .privateKey) }
                        if b[r] == UInt8(ascii: "\n") || b[r] == UInt8(ascii: "\r") { break }
                        r += 1
                    }
                    return PIISpan(i, r, .privateKey)
                }
                q += 1
            }
            return PIISpan(i, b.count, .privateKey)
        }
    }
}
