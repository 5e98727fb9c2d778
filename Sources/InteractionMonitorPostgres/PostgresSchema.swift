import Foundation
import InteractionMonitor
import PostgresNIO

/// The store's tables, versioned: ``migrations`` are applied in order at open, each once, recorded in
/// `schema_version`. Opening is safe from many processes at once (an advisory lock serialises migrations).
///
/// What the server holds (see SECURITY.md): sealed frames, byte for byte the envelope of a day file's segment, and
/// only these plaintext columns — the day, the segment's position, its data key id, the writer id and record
/// sequence range of the write that stored it, and its size. Blobs (manifest, opt-out registry, profiles,
/// patterns) are the same sealed envelopes as the files of a data directory.
enum PostgresSchema {
    /// The newest schema version this code knows.
    static var latestVersion: Int { migrations.count }

    /// Migration `n` (1-based) is `migrations[n - 1]`; `S` stands for the quoted schema name.
    static let migrations: [(description: String, sql: String)] = [
        (
            "segments partitioned by day, writer progress, blobs",
            """
            CREATE TABLE S.segments (
                day date NOT NULL,
                seg_index bigint NOT NULL,
                key_id bytea NOT NULL,
                writer_id bytea,
                seq_first bigint,
                seq_last bigint,
                frame_bytes integer NOT NULL,
                frame bytea NOT NULL,
                PRIMARY KEY (day, seg_index),
                UNIQUE (day, writer_id, seq_first)
            ) PARTITION BY LIST (day);
            ALTER TABLE S.segments ALTER COLUMN frame SET STORAGE EXTERNAL;
            COMMENT ON TABLE S.segments IS 'interaction-monitor sealed segments (XChaCha20-Poly1305 envelopes), one partition per UTC day';
            CREATE TABLE S.writer_progress (
                day date NOT NULL,
                writer_id bytea NOT NULL,
                last_seq bigint NOT NULL,
                PRIMARY KEY (day, writer_id)
            );
            CREATE TABLE S.blobs (
                name text PRIMARY KEY,
                data bytea NOT NULL
            );
            ALTER TABLE S.blobs ALTER COLUMN data SET STORAGE EXTERNAL;
            """
        )
    ]

    /// Creates the schema and applies every missing migration, in one transaction under an advisory lock.
    /// - Throws: `.configuration` when the database holds a newer schema than this code knows.
    static func migrate(_ session: PostgresSession, schema: String) throws {
        let quoted = PostgresSegmentStore.quote(schema)
        try session.execute("BEGIN")
        do {
            var binds = PostgresBindings()
            binds.append("interaction-monitor-migrate:" + schema)
            try session.query("SELECT pg_advisory_xact_lock(hashtext($1))", binds)
            try session.execute(
                """
                CREATE SCHEMA IF NOT EXISTS \(quoted);
                CREATE TABLE IF NOT EXISTS \(quoted).schema_version (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let rows = try session.query("SELECT coalesce(max(version), 0)::int8 FROM \(quoted).schema_version")
            let current = Int(try rows.first?.decode(Int64.self) ?? 0)
            guard current <= latestVersion else {
                throw InteractionMonitorError(
                    .configuration,
                    "\(session.location) holds store schema version \(current); this interaction-monitor knows up to \(latestVersion): upgrade it"
                )
            }
            for version in (current + 1)..<(latestVersion + 1) {
                let m = migrations[version - 1]
                try session.execute(m.sql.replacingOccurrences(of: "S.", with: quoted + "."))
                var b = PostgresBindings()
                b.append(version)
                b.append(m.description)
                try session.query("INSERT INTO \(quoted).schema_version (version, description) VALUES ($1, $2)", b)
            }
            try session.execute("COMMIT")
        } catch {
            _ = try? session.execute("ROLLBACK")
            throw error
        }
    }
}
