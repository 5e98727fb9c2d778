import ArgumentParser
import InteractionMonitor

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the keyring.", subcommands: [KeysInitCommand.self])
}

struct KeysInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a keyring (one data key, one hash key) in the keys directory.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let keyring = try Keyring.create(directory: store.resolvedKeysDirectory)
        print("created keyring in \(store.resolvedKeysDirectory)")
        print("  data key \(keyring.activeDataKeyID) (active)")
        print("  hash key \(keyring.activeHashKeyID) (active)")
        print("The keyring is protected by file permissions (0600 in a 0700 directory). Back it up: without it no data can be read.")
    }
}
