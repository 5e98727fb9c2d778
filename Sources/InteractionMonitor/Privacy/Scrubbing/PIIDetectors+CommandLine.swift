extension PIIDetectors {
    /// Passwords given to command-line tools as a short option, glued or as the next argument:
    /// `mysql -pS3cret`, `mysqldump -p 'S3cret'`, `sshpass -p S3cret`, `redis-cli -a S3cret`,
    /// `ldapsearch -w S3cret`, `sqlcmd -P S3cret`, and passwords piped into a tool that reads
    /// them from standard input (`echo 'S3cret' | docker login --password-stdin`).
    ///
    /// Short options mean different things to different tools (`ssh -p 22`, `mkdir -p dir`), so
    /// an option is only taken as a password when a tool known to use it for one appears earlier
    /// in the same command.
    enum CommandLine {
        /// Tools and the short option each of them takes a password with; `glued` when the
        /// password may follow the option without a space (`-pS3cret`).
        private static let tools: [(name: StaticString, option: UInt8, glued: Bool)] = [
            ("mysql", UInt8(ascii: "p"), true), ("mysqldump", UInt8(ascii: "p"), true),
            ("mysqladmin", UInt8(ascii: "p"), true), ("mysqlimport", UInt8(ascii: "p"), true),
            ("mysqlcheck", UInt8(ascii: "p"), true), ("mysqlsh", UInt8(ascii: "p"), true),
            ("mysqlpump", UInt8(ascii: "p"), true), ("mariadb", UInt8(ascii: "p"), true),
            ("mariadb-dump", UInt8(ascii: "p"), true), ("mariadb-admin", UInt8(ascii: "p"), true),
            ("7z", UInt8(ascii: "p"), true), ("7za", UInt8(ascii: "p"), true),
            ("sshpass", UInt8(ascii: "p"), false), ("mongo", UInt8(ascii: "p"), false),
            ("mongosh", UInt8(ascii: "p"), false), ("mongodump", UInt8(ascii: "p"), false),
            ("mongorestore", UInt8(ascii: "p"), false), ("mongoexport", UInt8(ascii: "p"), false),
            ("mongoimport", UInt8(ascii: "p"), false), ("redis-cli", UInt8(ascii: "a"), false),
            ("ldapsearch", UInt8(ascii: "w"), false), ("ldapadd", UInt8(ascii: "w"), false),
            ("ldapmodify", UInt8(ascii: "w"), false), ("ldapdelete", UInt8(ascii: "w"), false),
            ("ldappasswd", UInt8(ascii: "w"), false), ("ldapwhoami", UInt8(ascii: "w"), false),
            ("ldapcompare", UInt8(ascii: "w"), false), ("ldapmodrdn", UInt8(ascii: "w"), false),
            ("sqlcmd", UInt8(ascii: "P"), true), ("bcp", UInt8(ascii: "P"), true),
            ("zip", UInt8(ascii: "P"), true), ("unzip", UInt8(ascii: "P"), true),
            ("unrar", UInt8(ascii: "p"), true), ("rar", UInt8(ascii: "p"), true),
            ("docker", UInt8(ascii: "p"), false), ("podman", UInt8(ascii: "p"), false),
            ("buildah", UInt8(ascii: "p"), false), ("nerdctl", UInt8(ascii: "p"), false),
            ("helm", UInt8(ascii: "p"), false), ("oras", UInt8(ascii: "p"), false),
            ("oc", UInt8(ascii: "p"), false), ("cf", UInt8(ascii: "p"), false), ("az", UInt8(ascii: "p"), false),
        ]

        /// Anchored at the `-` of a short option (preceded by a space or a quote).
        static func matchShortOption(_ b: PIIBytes, dash i: Int) -> PIISpan? {
            let option = b[i + 1]
            let next = b[i + 2]
            let glued = !(next == UInt8(ascii: " ") || next == 0 || next == UInt8(ascii: "\t"))
            guard let tool = tool(b, before: i, option: option), !glued || tool.glued else { return nil }
            // Container and cloud tools only take `-p` as a password in `login` (`docker run -p 8080:80` is a port).
            if isLoginTool(tool.name) && !b.contains(" login ", from: max(0, i - 200), to: i + 1) { return nil }
            var p = i + 2
            if glued && b[p] == UInt8(ascii: "=") { p += 1 }
            if !glued {
                while b[p] == UInt8(ascii: " ") { p += 1 }
                guard b[p] != UInt8(ascii: "-"), b[p] != 0 else { return nil }
            }
            return argument(b, at: p)
        }

        /// Tools whose `-p` is a password only in their `login` command (`oc login -u dev -p …`,
        /// `cf login -p …`, `az login -u … -p …`, `docker login -p …`).
        private static func isLoginTool(_ name: StaticString) -> Bool {
            let n = name.utf8CodeUnitCount
            let p = name.utf8Start
            func equals(_ other: StaticString) -> Bool {
                other.utf8CodeUnitCount == n && (0..<n).allSatisfy { other.utf8Start[$0] == p[$0] }
            }
            return equals("docker") || equals("podman") || equals("buildah") || equals("nerdctl") || equals("helm")
                || equals("oras") || equals("oc") || equals("cf") || equals("az")
        }

        /// A quoted or bare command-line argument at `p`, ending at whitespace.
        static func argument(_ b: PIIBytes, at p: Int) -> PIISpan? {
            let c = b[p]
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                var e = p + 1
                while e - p < 512 && b[e] != c && b[e] != 0 && b[e] != UInt8(ascii: "\n") { e += 1 }
                guard e > p + 1, b[e] == c, !KeyValue.isInert(b, p + 1, e) else { return nil }
                return PIISpan(p + 1, e, .secret)
            }
            var e = p
            while e - p < 512 && !PIIASCII.isSpace(b[e]) && b[e] != 0 && b[e] != UInt8(ascii: "\"")
                && b[e] != UInt8(ascii: "'")
            {
                e += 1
            }
            guard e > p, !KeyValue.isInert(b, p, e) else { return nil }
            return PIISpan(p, e, .secret)
        }

        /// The known tool of the command that contains position `i`, if it uses `option` for a password.
        private static func tool(_ b: PIIBytes, before i: Int, option: UInt8) -> (name: StaticString, option: UInt8, glued: Bool)? {
            guard option == UInt8(ascii: "p") || option == UInt8(ascii: "a") || option == UInt8(ascii: "w")
                || option == UInt8(ascii: "P")
            else { return nil }
            // The command starts after the last line break, pipe, `;` or `&` before the option.
            var s = i - 1
            let lo = max(0, i - 300)
            while s > lo {
                let c = b[s - 1]
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "|") || c == UInt8(ascii: ";") || c == UInt8(ascii: "&") {
                    break
                }
                s -= 1
            }
            var p = s
            while p < i {
                guard PIIASCII.isAlnum(b[p]) else {
                    p += 1
                    continue
                }
                let ws = p
                while PIIASCII.isAlnum(b[p]) || b[p] == UInt8(ascii: "-") || b[p] == UInt8(ascii: "_") { p += 1 }
                let prev = b[ws - 1]
                guard prev == 0 || prev == UInt8(ascii: " ") || prev == UInt8(ascii: "/") || prev == UInt8(ascii: "\t")
                    || prev == UInt8(ascii: "(") || prev == UInt8(ascii: "`") || prev == UInt8(ascii: "\"")
                    || prev == UInt8(ascii: "'") || prev == UInt8(ascii: "]") || prev == UInt8(ascii: ":")
                else { continue }
                for tool in tools where tool.option == option && p - ws == tool.name.utf8CodeUnitCount {
                    if b.matches(tool.name, at: ws) { return tool }
                }
            }
            return nil
        }

        /// `echo 'S3cret' | docker login --password-stdin`, `echo S3cret | passwd --stdin alice`,
        /// `echo "S3cret" | sudo -S …`: anchored at the word `echo` (or `printf`).
        static func matchEcho(_ b: PIIBytes, at i: Int, wordEnd: Int) -> PIISpan? {
            guard b[wordEnd] == UInt8(ascii: " "),
                (wordEnd - i == 4 && b.matches("echo", at: i)) || (wordEnd - i == 6 && b.matches("printf", at: i))
            else { return nil }
            var p = wordEnd
            while b[p] == UInt8(ascii: " ") { p += 1 }
            if b[p] == UInt8(ascii: "-") && b[p + 1] == UInt8(ascii: "n") && b[p + 2] == UInt8(ascii: " ") { p += 3 }
            guard let span = argument(b, at: p) else { return nil }
            var q = span.end
            if b[q] == UInt8(ascii: "'") || b[q] == UInt8(ascii: "\"") { q += 1 }
            while b[q] == UInt8(ascii: " ") { q += 1 }
            guard b[q] == UInt8(ascii: "|"), b[q + 1] != UInt8(ascii: "|") else { return nil }
            var e = q + 1
            let hi = min(b.count, q + 300)
            while e < hi && b[e] != UInt8(ascii: "\n") && b[e] != UInt8(ascii: "|") && b[e] != UInt8(ascii: ";") {
                e += 1
            }
            let reads = b.contains("-stdin", from: q, to: e) || b.contains("chpasswd", from: q, to: e)
                || b.contains("sudo -S", from: q, to: e) || b.contains("--password-file=/dev/stdin", from: q, to: e)
            return reads ? span : nil
        }

        /// Oracle tools given a logon on the command line, `user/password@connect_identifier`
        /// (`sqlplus scott/tiger@//db:1521/ORCL`, `expdp system/S3cret@PROD …`, and without a connect
        /// identifier `sqlplus scott/tiger`): anchored at the tool's name; only the password is replaced.
        static func matchOracleLogon(_ b: PIIBytes, at i: Int, wordEnd: Int) -> PIISpan? {
            guard isOracleTool(b, i, wordEnd), b[i - 1] == 0 || !PIIASCII.isIdent(b[i - 1]) else { return nil }
            var p = wordEnd
            // Options before the logon: `sqlplus -s -L user/pw@db`.
            while true {
                while b[p] == UInt8(ascii: " ") { p += 1 }
                guard b[p] == UInt8(ascii: "-") else { break }
                while b[p] != 0 && !PIIASCII.isSpace(b[p]) { p += 1 }
            }
            if b[p] == UInt8(ascii: "\"") || b[p] == UInt8(ascii: "'") { p += 1 }
            // Oracle user names start with a letter (`exp 12/27` is not a logon).
            guard PIIASCII.isAlpha(b[p]) else { return nil }
            let userStart = p
            while PIIASCII.isAlnum(b[p]) || b[p] == UInt8(ascii: "_") || b[p] == UInt8(ascii: "$")
                || b[p] == UInt8(ascii: "#") || b[p] == UInt8(ascii: ".")
            {
                p += 1
            }
            guard p > userStart, b[p] == UInt8(ascii: "/"), b[p + 1] != UInt8(ascii: "/") else { return nil }
            let s = p + 1
            var e = s
            var at = -1
            while e - s < 256 {
                let c = b[e]
                if c == 0 || PIIASCII.isSpace(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { break }
                if c == UInt8(ascii: "@") { at = e }
                e += 1
            }
            let end = at > s ? at : e
            guard end > s, !KeyValue.isInert(b, s, end) else { return nil }
            return PIISpan(s, end, .secret)
        }

        /// The Oracle tools that accept a logon as their first argument: `sqlplus`, `sqlldr`, `expdp`,
        /// `impdp`, `exp`, `imp`, `rman`, `dgmgrl`.
        private static func isOracleTool(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            switch e - s {
            case 3: b.matches("exp", at: s) || b.matches("imp", at: s)
            case 4: b.matches("rman", at: s)
            case 5: b.matches("expdp", at: s) || b.matches("impdp", at: s)
            case 6: b.matches("sqlldr", at: s) || b.matches("dgmgrl", at: s)
            case 7: b.matches("sqlplus", at: s)
            default: false
            }
        }

        /// `htpasswd -b[c|m|B|…] FILE USER PASSWORD`: with `-b` (batch mode) Apache's `htpasswd` takes
        /// the password as its last argument. Anchored at the word `htpasswd`; the password is replaced.
        static func matchHtpasswd(_ b: PIIBytes, at i: Int, wordEnd: Int) -> PIISpan? {
            guard wordEnd - i == 8, b.matches("htpasswd", at: i), b[i - 1] == 0 || b[i - 1] == UInt8(ascii: " ")
                || b[i - 1] == UInt8(ascii: "/") || b[i - 1] == UInt8(ascii: "\"") || b[i - 1] == UInt8(ascii: "'")
            else { return nil }
            var p = wordEnd
            var batch = false
            var operands = 0
            while operands < 3 {
                while b[p] == UInt8(ascii: " ") { p += 1 }
                guard b[p] != 0, b[p] != UInt8(ascii: "\n") else { return nil }
                if operands == 0 && b[p] == UInt8(ascii: "-") {
                    let s = p
                    while b[p] != 0 && !PIIASCII.isSpace(b[p]) { p += 1 }
                    for k in s..<p where b[k] == UInt8(ascii: "b") { batch = true }
                    continue
                }
                guard batch else { return nil }
                operands += 1
                if operands == 3 { return argument(b, at: p) }
                while b[p] != 0 && !PIIASCII.isSpace(b[p]) { p += 1 }
            }
            return nil
        }
    }
}
