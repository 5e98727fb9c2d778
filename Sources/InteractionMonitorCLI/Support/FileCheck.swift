import Foundation

enum InteractionMonitorCLIFileCheck {
    static func isDirectoryOrMissing(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || isDir.boolValue
    }
}
