import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Reads lines (as bytes, without the newline) from a file or stdin with `getline`, any length.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0

    init(path: String?) throws {
        if let path {
            var isDir = stat()
            if stat(path, &isDir) == 0, (isDir.st_mode & S_IFMT) == S_IFDIR {
                throw InteractionMonitorError(.invalidInput, "\(path) is a directory, not a file")
            }
            guard let f = fopen(path, "r") else {
                throw InteractionMonitorError(.invalidInput, "cannot open \(path): \(String(cString: strerror(errno)))")
            }
            file = f
            ownsFile = true
        } else {
            guard let f = fdopen(dup(0), "r") else {
                throw InteractionMonitorError(.invalidInput, "cannot read standard input")
            }
            file = f
            ownsFile = true
        }
    }

    deinit {
        free(buffer)
        if ownsFile { fclose(file) }
    }

    func next() -> [UInt8]? {
        let n = getline(&buffer, &capacity, file)
        guard n >= 0, let buffer else { return nil }
        var length = n
        if length > 0, buffer[length - 1] == 0x0A { length -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }
}
