import ArgumentParser
import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Terminal helpers: whether we talk to a person, and reading a secret without echo.
enum Terminal {
    static var isInteractive: Bool { isatty(0) == 1 && isatty(2) == 1 }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Prints `prompt` on stderr and reads one line from the terminal with echo off.
    static func readSecret(prompt: String) throws -> String {
        printError(prompt, newline: false)
        var saved = termios()
        let haveTTY = tcgetattr(0, &saved) == 0
        if haveTTY {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTTY { _ = tcsetattr(0, TCSAFLUSH, &saved) }
            printError("")
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw InteractionMonitorError(.configuration, "no passphrase entered")
        }
        return line
    }

    /// A new passphrase: from `file`, else the environment variable `variable`, else typed twice on a terminal.
    static func newPassphrase(file: String?, flag: String, variable: String, what: String) throws -> KeyringSecret {
        if let file { return try KeyringSecret.passphrase(file: file) }
        if let p = getenv(variable), p.pointee != 0 { return try KeyringSecret.passphrase(String(cString: p)) }
        guard isInteractive else {
            throw InteractionMonitorError(
                .configuration, "no \(what) given: pass it in a file with \(flag) or set \(variable)")
        }
        let first = try readSecret(prompt: "New \(what): ")
        let second = try readSecret(prompt: "Repeat the \(what): ")
        guard first == second else { throw InteractionMonitorError(.configuration, "the two \(what)s differ") }
        return try KeyringSecret.passphrase(first)
    }
}

/// The one-time notice that a keyring relies on file permissions alone.
enum PlainKeyringNotice {
    static let marker = ".unsealed-notice-shown"

    static func showOnce(keysDirectory: String) {
        let path = keysDirectory + "/" + marker
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }  // shown before (or the directory is read-only: stay quiet)
        close(fd)
        printError(
            "note: the keyring in \(keysDirectory) is protected only by file permissions (0600); seal it with `interaction-monitor keys protect --passphrase` or `--kek` (shown once)")
    }
}

/// Runs an administrative operation and appends its outcome to the operations journal (failures too). A journal
/// that cannot be written is reported on stderr; the operation's own result stands.
func journaled<R>(
    _ store: StoreOptions, _ operation: String, _ body: () async throws -> (R, KeyValuePairs<String, String>)
) async throws -> R {
    let journal = try store.journal
    do {
        let (result, details) = try await body()
        do {
            try journal.append(operation: operation, outcome: "ok", details: details)
        } catch let error as InteractionMonitorError {
            printError("warning: \(error.message) (\(journal.path))")
        }
        return result
    } catch {
        let message = (error as? InteractionMonitorError)?.message ?? "\(error)"
        try? journal.append(operation: operation, outcome: "failed: \(message)")
        throw error
    }
}
