/// The Luhn (mod 10) checksum used by payment card numbers.
enum Luhn {
    /// Validates the ASCII digits in `start..<end` of `bytes`, ignoring any non-digit separators.
    static func isValid(_ bytes: PIIBytes, from start: Int, to end: Int) -> Bool {
        var sum = 0
        var double = false
        var digits = 0
        var k = end - 1
        while k >= start {
            let c = bytes[k]
            if PIIASCII.isDigit(c) {
                var d = Int(c &- 0x30)
                if double {
                    d &*= 2
                    if d > 9 { d &-= 9 }
                }
                sum &+= d
                double.toggle()
                digits += 1
            }
            k -= 1
        }
        return digits > 1 && sum % 10 == 0
    }

    /// Validates a string of digits, ignoring spaces and dashes.
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return isValid(PIIBytes(base: base, count: buffer.count), from: 0, to: buffer.count)
        }
    }
}
