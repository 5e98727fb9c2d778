#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls the file store and keyring need.
/// Errors carry the path and `strerror` text, never file contents.
enum POSIX {
    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    static func fail(_ code: InteractionMonitorError.Code, _ what: String, _ path: String, _ err: Int32 = errno)
        -> InteractionMonitorError
    {
        InteractionMonitorError(code, "\(what) \(path): \(errorText(err))")
    }

    /// Creates `path` and missing parents with mode 0700. Existing directories keep their mode.
    /// Returns true when the last component was created by this call.
    @discardableResult
    static func makeDirectories(_ path: String, code: InteractionMonitorError.Code = .storage) throws -> Bool {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw InteractionMonitorError(code, "\(path) exists and is not a directory")
            }
            return false
        }
        let parent = parentDirectory(of: path)
        if !parent.isEmpty, parent != path { try makeDirectories(parent, code: code) }
        if mkdir(path, 0o700) != 0 {
            if errno == EEXIST { return false }
            throw fail(code, "cannot create directory", path)
        }
        _ = chmod(path, 0o700)
        return true
    }

    static func parentDirectory(of path: String) -> String {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Mode bits and owner of `path`, following symlinks.
    static func modeAndOwner(_ path: String) -> (mode: UInt32, uid: UInt32)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (UInt32(st.st_mode) & 0o7777, UInt32(st.st_uid))
    }

    static var effectiveUserID: UInt32 { UInt32(geteuid()) }

    /// Opens a regular file. Symbolic links are refused (`O_NOFOLLOW`), as is anything that is not a regular file
    /// (a FIFO, a device, a directory): `O_NONBLOCK` keeps a FIFO from hanging the open, and the descriptor is
    /// checked with `fstat` before it is used.
    /// `strict: false` (files the operator names, such as a passphrase file) follows links and accepts a pipe.
    static func open(
        _ path: String, _ flags: Int32, mode: mode_t = 0o600, code: InteractionMonitorError.Code = .storage,
        strict: Bool = true
    ) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC | (strict ? O_NOFOLLOW | O_NONBLOCK : 0), mode)
            if fd >= 0, !strict { return fd }
            if fd >= 0 {
                var st = stat()
                guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                    Glibc.close(fd)
                    throw InteractionMonitorError(code, "\(path) is not a regular file; refused")
                }
                // Back to blocking I/O for the regular file.
                let fl = fcntl(fd, F_GETFL)
                if fl >= 0 { _ = fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) }
                return fd
            }
            if errno == EINTR { continue }
            if errno == ELOOP || errno == EMLINK {
                throw InteractionMonitorError(code, "\(path) is a symbolic link; refused")
            }
            throw fail(code, "cannot open", path)
        }
    }

    /// Whether `path` itself (not following a link) exists.
    static func existsNoFollow(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Checks that an existing data or keys directory is a real directory (not a link), owned by this user (or
    /// root) and not writable by group or others; `what` names it in the error, which says how to fix it.
    static func checkPrivateDirectory(_ path: String, what: String, code: InteractionMonitorError.Code) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            // A link to a directory is allowed only as a whole-directory mount point chosen by the operator; its
            // target is checked like the directory itself.
            guard stat(path, &st) == 0 else { return }
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw InteractionMonitorError(code, "\(what) \(path) exists and is not a directory")
        }
        let uid = UInt32(geteuid())
        if UInt32(st.st_uid) != uid && st.st_uid != 0 {
            throw InteractionMonitorError(
                code, "\(what) \(path) is owned by another user (uid \(st.st_uid)); fix with: chown \(uid) \(path)")
        }
        if UInt32(st.st_mode) & 0o022 != 0 {
            throw InteractionMonitorError(
                code, "\(what) \(path) is writable by group or others; fix with: chmod go-w \(path)")
        }
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    static func fileSize(_ fd: Int32, path: String) throws -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail(.storage, "cannot stat", path) }
        return Int64(st.st_size)
    }

    static func lock(_ fd: Int32, exclusive: Bool, path: String) throws {
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            throw fail(.storage, "cannot lock", path)
        }
    }

    static func unlock(_ fd: Int32) { _ = flock(fd, LOCK_UN) }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.storage, "cannot write", path)
            }
            offset += n
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Reads exactly `count` bytes at `offset`; returns fewer only at end of file.
    static func pread(_ fd: Int32, count: Int, offset: Int64, path: String) throws -> [UInt8] {
        // Not zero-filled first: only the bytes read are kept.
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var got = 0
            while got < count {
                let n = Glibc.pread(fd, buffer.baseAddress! + got, count - got, off_t(offset) + off_t(got))
                if n < 0 {
                    if errno == EINTR { continue }
                    initialized = got
                    throw fail(.storage, "cannot read", path)
                }
                if n == 0 { break }
                got += n
            }
            initialized = got
        }
    }

    /// Reads a whole (small) file into memory.
    static func readFile(_ path: String, limit: Int, code: InteractionMonitorError.Code, strict: Bool = true) throws
        -> [UInt8]
    {
        let fd = try open(path, O_RDONLY, code: code, strict: strict)
        defer { close(fd) }
        let size = try fileSize(fd, path: path)
        guard size <= Int64(limit) else { throw InteractionMonitorError(code, "\(path) is too large (\(size) bytes)") }
        return try pread(fd, count: Int(size), offset: 0, path: path)
    }

    static func fsync(_ fd: Int32, path: String) throws {
        while Glibc.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw fail(.storage, "cannot sync", path)
        }
    }

    static func fsyncDirectory(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = Glibc.fsync(fd)
            _ = Glibc.close(fd)
        }
    }

    static func truncate(_ fd: Int32, to size: Int64) { _ = ftruncate(fd, off_t(size)) }

    static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw fail(.storage, "cannot rename to", to) }
    }

    static func unlink(_ path: String) { _ = Glibc.unlink(path) }

    /// Entries of a directory (names only, without `.` and `..`).
    static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw fail(.storage, "cannot list", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static var processID: Int32 { getpid() }

    /// Whether `path` still names the file open as `fd` (same device and inode).
    static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var a = stat()
        var b = stat()
        guard fstat(fd, &a) == 0, stat(path, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// Writes `bytes` to a temporary file beside `path` (0600), syncs it, renames it over `path` and syncs the
    /// directory: after a crash, `path` holds either the old or the new contents.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws {
        let tmp = "\(path).tmp-\(processID)-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            defer { close(fd) }
            _ = fchmod(fd, 0o600)
            try writeAll(fd, bytes, path: tmp)
            try fsync(fd, path: tmp)
        } catch {
            unlink(tmp)
            throw error
        }
        do {
            try rename(tmp, path)
        } catch {
            unlink(tmp)
            throw error
        }
        fsyncDirectory(directory)
    }
}

extension POSIX {
    /// `path` made absolute against the working directory (not resolving links).
    static func absolutePath(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (cwd.hasSuffix("/") ? cwd : cwd + "/") + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}
