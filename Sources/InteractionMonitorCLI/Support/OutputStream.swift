#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to stdout / stderr (stdout is flushed in 64 KiB chunks and at the end).
struct OutputStream {
    private let fd: Int32
    private var buffer: [UInt8] = []

    static func standardOutput() -> OutputStream { OutputStream(fd: 1) }

    private init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func line(bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func line(_ s: String) {
        write(s)
        buffer.append(UInt8(ascii: "\n"))
    }

    mutating func flush() {
        var offset = 0
        buffer.withUnsafeBytes { b in
            while offset < b.count {
                let n = Glibc.write(fd, b.baseAddress! + offset, b.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    break  // closed pipe: stop writing, never crash
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// One line on stderr.
func printError(_ message: String, newline: Bool = true) {
    var text = message
    if newline && !text.hasSuffix("\n") { text += "\n" }
    text.withUTF8 { u in _ = Glibc.write(2, u.baseAddress, u.count) }
}
