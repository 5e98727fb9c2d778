/// Every failure the library reports: a ``Code`` plus a one-line human message.
///
/// Messages name files, key ids and days — never key bytes, plaintext or raw user ids.
/// Equality and hashing consider the code only.
public struct InteractionMonitorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case keyringNotFound, keyringExists, keyringPermissions, keyringMalformed, keyringUnavailable
            case keyringLocked, keyInUse
            case unknownKey, cryptoFailure, configuration, storage, dataCorrupted, invalidInput
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No keyring where one was expected.
        public static let keyringNotFound = Code(.keyringNotFound)
        /// `keys init` found a keyring already there.
        public static let keyringExists = Code(.keyringExists)
        /// The keyring or its directory is readable or writable by group or others, or owned by someone else.
        public static let keyringPermissions = Code(.keyringPermissions)
        /// The keyring file does not follow the documented format.
        public static let keyringMalformed = Code(.keyringMalformed)
        /// The keyring could not be read or written.
        public static let keyringUnavailable = Code(.keyringUnavailable)
        /// The keyring is sealed and no passphrase or key-encryption key was given, or the one given is wrong.
        public static let keyringLocked = Code(.keyringLocked)
        /// A key cannot be retired: segments, derived files or the opt-out registry still use it (or it is active).
        public static let keyInUse = Code(.keyInUse)
        /// Data is sealed under a key id the keyring does not hold.
        public static let unknownKey = Code(.unknownKey)
        /// libsodium failed (initialisation, random numbers).
        public static let cryptoFailure = Code(.cryptoFailure)
        /// A configuration value is invalid.
        public static let configuration = Code(.configuration)
        /// Reading or writing the store failed (disk full, permissions, missing directory).
        public static let storage = Code(.storage)
        /// Stored data failed verification.
        public static let dataCorrupted = Code(.dataCorrupted)
        /// Input (a record, a line, a date) is invalid.
        public static let invalidInput = Code(.invalidInput)

        public var description: String { value.rawValue }

        /// Whether this is a configuration or key problem (the CLI exits 2) rather than a data problem (exit 1).
        public var isConfigurationOrKey: Bool {
            switch value {
            case .dataCorrupted, .invalidInput: false
            default: true
            }
        }
    }

    /// What kind of failure this is.
    public let code: Code
    /// One line, for humans. Contains no secrets.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
