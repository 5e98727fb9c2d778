extension PIIDetectors {
    /// MAC addresses: `00:1a:2b:3c:4d:5e`, `00-1A-2B-3C-4D-5E` and Cisco `001a.2b3c.4d5e`.
    /// Longer colon-hex strings (fingerprints) are left alone.
    enum MAC {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            let h = PIIASCII.isHex
            if h(b[i]) && h(b[i + 1]) {
                let sep = b[i + 2]
                if sep == UInt8(ascii: ":") || sep == UInt8(ascii: "-") {
                    var p = i
                    for group in 0..<6 {
                        guard h(b[p]), h(b[p + 1]) else { return nil }
                        p += 2
                        if group < 5 {
                            guard b[p] == sep else { return nil }
                            p += 1
                        }
                    }
                    guard !PIIASCII.isAlnum(b[p]), b[p] != UInt8(ascii: "_"), !(b[p] == sep && h(b[p + 1])) else {
                        return nil
                    }
                    return PIISpan(i, p, .mac)
                }
                if h(b[i + 2]) && h(b[i + 3]) && b[i + 4] == UInt8(ascii: ".") {
                    var p = i
                    for group in 0..<3 {
                        for k in 0..<4 where !h(b[p + k]) { return nil }
                        p += 4
                        if group < 2 {
                            guard b[p] == UInt8(ascii: ".") else { return nil }
                            p += 1
                        }
                    }
                    guard !PIIASCII.isAlnum(b[p]), b[p] != UInt8(ascii: "_"),
                        !(b[p] == UInt8(ascii: ".") && PIIASCII.isAlnum(b[p + 1]))
                    else { return nil }
                    return PIISpan(i, p, .mac)
                }
            }
            return nil
        }
    }
}
