extension PIIDetectors {
    /// The value of a `Cookie` / `Set-Cookie` header: a `name=value; name=value` list.
    enum Cookie {
        /// The span from the first to the last cookie value in `s..<limit` that carries data.
        /// Attributes (`Path`, `Max-Age`, …), empty values (`PHPSESSID=` to delete a cookie) and
        /// placeholders (`<redacted>`) are not secrets; a value without a name is one.
        static func firstValue(_ b: PIIBytes, from s: Int, limit: Int) -> PIISpan? {
            var first = -1
            var last = -1
            var p = s
            while p < limit {
                while p < limit && (b[p] == UInt8(ascii: " ") || b[p] == UInt8(ascii: ";")) { p += 1 }
                let nameStart = p
                while p < limit && b[p] != UInt8(ascii: "=") && b[p] != UInt8(ascii: ";") { p += 1 }
                var vs = nameStart
                let named = p < limit && b[p] == UInt8(ascii: "=")
                if named {
                    vs = p + 1
                    p += 1
                }
                while p < limit && b[p] != UInt8(ascii: ";") { p += 1 }
                var ve = p
                while ve > vs && PIIASCII.isSpace(b[ve - 1]) { ve -= 1 }
                if named && isAttribute(b, nameStart, vs - 1) { continue }
                if !named && (isAttribute(b, nameStart, ve) || nameStart > s) { continue }
                if ve > vs && !KeyValue.isInert(b, vs, ve) {
                    if first < 0 { first = vs }
                    last = ve
                }
            }
            return first >= 0 ? PIISpan(first, last, .secret) : nil
        }

        /// RFC 6265 cookie attributes, whose values are not secrets.
        private static func isAttribute(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var e = e
            while e > s && b[e - 1] == UInt8(ascii: " ") { e -= 1 }
            switch e - s {
            case 4: return b.matchesCaseInsensitive("path", at: s)
            case 6: return b.matchesCaseInsensitive("domain", at: s) || b.matchesCaseInsensitive("secure", at: s)
            case 7: return b.matchesCaseInsensitive("expires", at: s) || b.matchesCaseInsensitive("max-age", at: s)
            case 8: return b.matchesCaseInsensitive("samesite", at: s) || b.matchesCaseInsensitive("httponly", at: s)
                || b.matchesCaseInsensitive("priority", at: s)
            case 11: return b.matchesCaseInsensitive("partitioned", at: s)
            default: return false
            }
        }
    }
}
