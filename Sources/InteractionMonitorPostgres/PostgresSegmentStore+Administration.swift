import PostgresNIO

extension PostgresSegmentStore {
    /// Runs `sql` on a pooled connection of its own (autocommit) and returns every column as text (tests and
    /// benchmarks; cast non-text columns with `::text`).
    package func administrativeQuery(_ sql: String) throws -> [[String?]] {
        try publicErrors {
            try pool.withSession { s in
                try s.query(sql).map { row in try row.makeRandomAccess().map { try $0.decode(String?.self) } }
            }
        }
    }

    /// Drops the store's schema with everything in it (tests).
    package func dropSchema() throws {
        _ = try administrativeQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        close()
    }
}
