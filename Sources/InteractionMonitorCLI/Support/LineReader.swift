import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Reads lines (as bytes, without the newline) from a file or stdin in 64 KiB chunks, holding at most
/// ``maximumLineLength`` bytes of a line.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    /// Lines longer than this many bytes are not held in memory: ``next()`` returns an empty line for them and sets
    /// ``lastLineLength`` to their real length (bounded memory on any input).
    let maximumLineLength: Int
    /// The length in bytes of the line ``next()`` returned last (more than the returned count when it was too long).
    private(set) var lastLineLength = 0
    /// Whether the line ``next()`` returned last was longer than ``maximumLineLength`` (and returned empty).
    var lastLineWasTooLong: Bool { lastLineLength > maximumLineLength }
    /// Bytes read from the input so far (for progress).
    private(set) var bytesRead: Int64 = 0
    /// The input's size when it is a regular file (for progress), else 0.
    private(set) var totalBytes: Int64 = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var atEOF = false

    init(path: String?, maximumLineLength: Int = Int.max) throws {
        self.maximumLineLength = maximumLineLength
        if let path {
            var isDir = stat()
            if stat(path, &isDir) == 0, (isDir.st_mode & S_IFMT) == S_IFDIR {
                throw InteractionMonitorError(.configuration, "\(path) is a directory, not a file")
            }
            guard let f = fopen(path, "r") else {
                throw InteractionMonitorError(.configuration, "cannot open \(path): \(String(cString: strerror(errno)))")
            }
            file = f
            ownsFile = true
            var st = stat()
            if fstat(fileno(f), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { totalBytes = Int64(st.st_size) }
        } else {
            guard let f = fdopen(dup(0), "r") else {
                throw InteractionMonitorError(.configuration, "cannot read standard input")
            }
            file = f
            ownsFile = true
        }
    }

    deinit {
        if ownsFile { fclose(file) }
    }

    /// Refills the chunk; false at end of input.
    private func fill() -> Bool {
        guard !atEOF else { return false }
        // `read(2)`, not `fread`: on a pipe it returns what has arrived, so a line is handed on as soon as it ends.
        let fd = fileno(file)
        var n: Int
        repeat {
            n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        } while n < 0 && errno == EINTR
        start = 0
        end = max(n, 0)
        bytesRead += Int64(end)
        if n <= 0 { atEOF = true }
        return n > 0
    }

    /// The next line without its `\n`; `nil` at the end of input.
    func next() -> [UInt8]? {
        var line: [UInt8] = []
        var length = 0
        var sawAny = false
        while true {
            if start == end, !fill() {
                guard sawAny else { return nil }
                break
            }
            sawAny = true
            let newline: Int? = chunk.withUnsafeBytes { b in
                memchr(b.baseAddress! + start, 0x0A, end - start).map { UnsafeRawPointer($0) - b.baseAddress! }
            }
            let stop = newline ?? end
            let piece = stop - start
            if length + piece <= maximumLineLength {
                line.append(contentsOf: chunk[start..<stop])
            } else if length <= maximumLineLength {
                line.removeAll()
            }
            length += piece
            start = newline.map { $0 + 1 } ?? end
            if newline != nil { break }
        }
        lastLineLength = length
        return line
    }
}
