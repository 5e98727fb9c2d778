extension PIIDetectors {
    /// E-mail addresses, anchored at `@` (or URL-encoded `%40`).
    enum Email {
        /// Letters, digits and `. _ % + - '`, the bytes of a local part, as bit sets of the bytes
        /// 0–63 and 64–127.
        private static let localBytesLow: UInt64 = 0x03FF68A000000000
        private static let localBytesHigh: UInt64 = 0x07FFFFFE87FFFFFE

        @inline(__always) static func isLocal(_ c: UInt8) -> Bool {
            c < 128 && ((c < 64 ? localBytesLow : localBytesHigh) &>> UInt64(c & 63)) & 1 != 0
        }

        /// Matches an address whose `@` (length 1) or `%40` (length 3) is at `at`.
        /// The local part is never extended below `floor` (the end of the previous match).
        static func match(_ b: PIIBytes, at: Int, atLength: Int, floor: Int) -> PIISpan? {
            let base = b.base
            // `lo >= 0` and `s - 1 >= lo`: the backward scan stays inside the buffer.
            let lo = max(floor, at &- 128, 0)
            var s = at
            while s > lo {
                let c = base[s &- 1]
                guard isLocal(c) else { break }
                // An encoded `%40` is itself an `@`: the local part cannot extend across it.
                if c == UInt8(ascii: "%") && s < at && b[s] == UInt8(ascii: "4") && b[s &+ 1] == UInt8(ascii: "0") {
                    break
                }
                s &-= 1
            }
            // No leading dot; a leading apostrophe is a quote ('alice@example.com'), not part of o'brien.
            while s < at && (b[s] == UInt8(ascii: ".") || b[s] == UInt8(ascii: "'")) { s &+= 1 }
            guard s < at else { return nil }
            // `git@github.com:org/repo.git` is an SSH remote, not a person's address.
            if at &- s == 3 && b.matches("git", at: s) { return nil }
            let domain = at &+ atLength
            let hi = min(b.count, domain &+ 253)
            var p = domain
            var labels = 0
            var end = -1
            while true {
                let ls = p
                var letters = true
                while p < hi {
                    let c = base[p]
                    if PIIASCII.isAlpha(c) {
                        p &+= 1
                    } else if PIIASCII.isDigit(c) || c == UInt8(ascii: "-") {
                        letters = false
                        p &+= 1
                    } else {
                        break
                    }
                }
                guard p > ls, b[ls] != UInt8(ascii: "-"), b[p &- 1] != UInt8(ascii: "-") else { break }
                labels &+= 1
                if labels >= 2 && p &- ls >= 2 && letters && !isFileExtension(b, ls, p) { end = p }
                if b[p] == UInt8(ascii: ".") && PIIASCII.isAlnum(b[p &+ 1]) {
                    p &+= 1
                    continue
                }
                break
            }
            guard end > 0 else { return nil }
            return PIISpan(s, end, .email)
        }

        /// `avatar@2x.png`, `icon@3x.webp`: asset names, not addresses. The label (2–4 letters, as
        /// the caller has checked) is packed lowercase, first letter in the low byte, and compared in
        /// one switch.
        private static func isFileExtension(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            guard e - s >= 2 && e - s <= 4 else { return false }
            var packed: UInt32 = 0
            var k = s
            while k < e {
                packed |= UInt32(b[k] | 0x20) << (8 &* UInt32(k &- s))
                k &+= 1
            }
            switch packed {
            case 0x736A /* js */, 0x676E70 /* png */, 0x67706A /* jpg */, 0x666967 /* gif */,
                0x677673 /* svg */, 0x6F6369 /* ico */, 0x737363 /* css */, 0x666470 /* pdf */,
                0x747874 /* txt */, 0x676F6C /* log */, 0x70616D /* map */, 0x6765706A /* jpeg */,
                0x70626577 /* webp */, 0x6E6F736A /* json */, 0x6C6D7468 /* html */:
                return true
            default:
                return false
            }
        }
    }
}
