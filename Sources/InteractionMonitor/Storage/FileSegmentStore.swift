#if canImport(Glibc)
import Glibc
#endif

/// The default store: one append-only file per UTC day, `interactions_YYYY-MM-DD.jsonl.enc`, in a data directory.
///
/// - Directories are created with mode 0700 and files with 0600.
/// - Every change takes an exclusive `flock` on the day file, so any number of processes can write one
///   directory. A writer that wins the lock re-checks that the path still names the file it locked (a rewrite
///   may have replaced it) and starts over if not.
/// - The tail is found from the end of the file in O(1).
/// - A failed append is cut back to the previous end of the file, so a full disk never leaves a torn frame;
///   a process killed mid-write can leave one, which readers report and skip and writers append after.
/// - Each append ends with one `fsync` of the day file; rewrites go to a temporary file that is synced and
///   renamed over the old one.
public struct FileSegmentStore: SegmentStore {
    /// The data directory.
    public let directory: String

    /// A store rooted at `directory`, which is created (mode 0700) on first write.
    public init(directory: String) {
        self.directory = directory
    }

    /// File name prefix of day files.
    public static let filePrefix = "interactions_"
    /// The extension of day files: JSON lines, encrypted.
    public static let fileSuffix = ".jsonl.enc"
    /// The largest blob (manifest, registry, derived file) read; a larger file is refused before it is read.
    static let maximumBlobSize = 256 << 20

    public var location: String { directory }

    public func name(of day: Day) -> String { Self.filePrefix + day.description + Self.fileSuffix }

    func path(of day: Day) -> String { directory + "/" + name(of: day) }

    /// Creates the data directory (0700) if needed.
    /// An existing directory writable by group or others, or owned by another user, is refused with the command
    /// that fixes it: anyone who can write it could replace files between our checks.
    public func prepare() throws {
        try POSIX.checkPrivateDirectory(directory, what: "data directory", code: .configuration)
        try POSIX.makeDirectories(directory)
    }

    public func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        if create { try prepare() }
        let path = path(of: day)
        while true {
            let fd: Int32
            do {
                fd = try POSIX.open(path, create ? O_RDWR | O_CREAT | O_APPEND : O_RDWR | O_APPEND, mode: 0o600)
            } catch where !create && !POSIX.existsNoFollow(path) {
                return nil
            }
            defer { POSIX.close(fd) }
            try POSIX.lock(fd, exclusive: true, path: path)
            defer { POSIX.unlock(fd) }
            // A rewrite or removal may have replaced the file between open and lock: start over on the new one.
            guard POSIX.sameFile(fd, path) else { continue }
            if create { _ = fchmod(fd, 0o600) }
            return try body(FileDayAccess(fd: fd, path: path, directory: directory))
        }
    }

    public func days() throws -> [Day] {
        guard POSIX.isDirectory(directory) else {
            if POSIX.exists(directory) {
                throw InteractionMonitorError(.storage, "data directory \(directory) is not a directory")
            }
            return []
        }
        try POSIX.checkPrivateDirectory(directory, what: "data directory", code: .configuration)
        return try POSIX.listDirectory(directory).compactMap { name -> Day? in
            guard name.hasPrefix(Self.filePrefix), name.hasSuffix(Self.fileSuffix) else { return nil }
            let middle = name.dropFirst(Self.filePrefix.count).dropLast(Self.fileSuffix.count)
            return Day(String(middle))
        }.sorted()
    }

    public func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws {
        let path = path(of: day)
        let fd = try POSIX.open(path, O_RDONLY)
        defer { POSIX.close(fd) }
        // A snapshot of the size: frames appended while we read are left for the next reader.
        let size = try POSIX.fileSize(fd, path: path)
        try FrameScanner(read: { try POSIX.pread(fd, count: $1, offset: $0, path: path) }, size: size).scan(body)
    }

    public func readBlob(named name: String) throws -> [UInt8]? {
        let path = directory + "/" + name
        guard POSIX.existsNoFollow(path) else { return nil }
        return try POSIX.readFile(path, limit: Self.maximumBlobSize, code: .storage)
    }

    public func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        try prepare()
        let lockPath = directory + "/." + name + ".lock"
        let lockFD = try POSIX.open(lockPath, O_RDWR | O_CREAT, mode: 0o600)
        defer { POSIX.close(lockFD) }
        try POSIX.lock(lockFD, exclusive: true, path: lockPath)
        defer { POSIX.unlock(lockFD) }
        // Temporary files of this blob are only made under its lock: any found now were left by a killed writer.
        for stale in (try? POSIX.listDirectory(directory)) ?? [] where stale.hasPrefix(name + ".tmp-") {
            POSIX.unlink(directory + "/" + stale)
        }
        guard let new = try transform(try readBlob(named: name)) else { return }
        try POSIX.writeAtomically(new, to: directory + "/" + name, directory: directory)
    }
}

extension FileSegmentStore {
    public func blobNames() throws -> [String] {
        guard POSIX.isDirectory(directory) else { return [] }
        return try POSIX.listDirectory(directory).filter { name in
            name.hasSuffix(".enc") && !name.hasPrefix(".") && !name.hasPrefix(Self.filePrefix)
        }.sorted()
    }

    public func byteCount(of day: Day) -> Int64? {
        var st = stat()
        guard stat(path(of: day), &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    public func removeBlob(named name: String) throws {
        let path = directory + "/" + name
        guard unlink(path) == 0 || errno == ENOENT else { throw POSIX.fail(.storage, "cannot remove", path) }
    }
}

/// The locked view of one day file.
struct FileDayAccess: DayAccess {
    let fd: Int32
    let path: String
    let directory: String

    private func scanner() throws -> FrameScanner {
        let fd = fd
        let path = path
        return FrameScanner(
            read: { try POSIX.pread(fd, count: $1, offset: $0, path: path) }, size: try POSIX.fileSize(fd, path: path))
    }

    func tail() throws -> SegmentPosition { try scanner().tail() }

    func incompleteTail() throws -> Int64? {
        let scanner = try scanner()
        let (_, end) = try scanner.tailAndEnd()
        guard end < scanner.size, try scanner.isTornFrame(at: end) else { return nil }
        return scanner.size - end
    }

    func discardIncompleteTail() throws {
        let scanner = try scanner()
        let (_, end) = try scanner.tailAndEnd()
        guard end < scanner.size, try scanner.isTornFrame(at: end) else { return }
        POSIX.truncate(fd, to: end)
        try POSIX.fsync(fd, path: path)
    }

    func scan(_ body: (ScannedItem) throws -> Void) throws { try scanner().scan(body) }

    func append(_ frames: [[UInt8]]) throws { try append { emit in try emit(frames, []) } }

    /// Writes each call's frames as `produce` emits them (frame after frame, no concatenated copy) and syncs once
    /// at the end; on any failure, `produce`'s included, the file is cut back to where it ended. The first call's
    /// frames are written here; from the second on, a ``FrameWriter`` writes them while `produce` makes the next.
    func append(producing produce: (_ emit: (_ frames: [[UInt8]], _ provenance: [SegmentProvenance]) throws -> Void) throws -> Void) throws {
        // Where the file ended when the first frame came (`produce` may first remove an incomplete segment).
        var size: Int64? = nil
        var writer: FrameWriter? = nil
        do {
            try produce { frames, _ in
                guard !frames.isEmpty else { return }
                if let writer { return try writer.write(frames) }
                if size == nil {
                    size = try POSIX.fileSize(fd, path: path)
                    for f in frames { try POSIX.writeAll(fd, f, path: path) }
                    return
                }
                let started = FrameWriter(fd: fd, path: path)
                writer = started
                try started.write(frames)
            }
            try writer.take()?.close()
            if size != nil { try POSIX.fsync(fd, path: path) }
        } catch {
            try? writer?.close()  // nothing is written after this
            if let size { POSIX.truncate(fd, to: size) }  // never leave our own frames of a failed append behind
            throw error
        }
    }

    func replace(
        producing produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void, beforeCommit: () throws -> Void
    ) throws {
        // Temporary files of this day are only made under its lock, so any found now are left by a killed rewrite.
        let base = String(path.split(separator: "/").last ?? "")
        for name in (try? POSIX.listDirectory(directory)) ?? [] where name.hasPrefix(base + ".tmp-") {
            POSIX.unlink(directory + "/" + name)
        }
        let tmp = "\(path).tmp-\(POSIX.processID)-\(UInt32.random(in: 0...UInt32.max))"
        let out = try POSIX.open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            defer { POSIX.close(out) }
            _ = fchmod(out, 0o600)
            var buffer: [UInt8] = []
            try produce { frame in
                buffer += frame
                if buffer.count >= 1 << 20 {
                    try POSIX.writeAll(out, buffer, path: tmp)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try POSIX.writeAll(out, buffer, path: tmp)
            try POSIX.fsync(out, path: tmp)
            try beforeCommit()
            try POSIX.rename(tmp, path)
        } catch {
            POSIX.unlink(tmp)
            throw error
        }
        POSIX.fsyncDirectory(directory)
    }

    func remove() throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw POSIX.fail(.storage, "cannot remove", path) }
        POSIX.fsyncDirectory(directory)
    }
}
