import Testing

@testable import InteractionMonitor

@Suite struct ErrorTemplatesTests {
    @Test func everyMessageGetsItsOwnTemplateHoweverItRepeats() {
        var templates = ErrorTemplates()
        var rng = SystemRandomNumberGenerator()
        let shared = (0..<50).map { "connection refused by 10.0.0.\($0) after \($0 * 7) ms (shared copy)" }
        // Mostly distinct messages (content look-ups stop paying), then repeats by content and by identity.
        for n in 0..<30_000 {
            let message: String
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: message = shared[n % shared.count]
            case 1: message = String(decoding: Array(shared[n % shared.count].utf8), as: UTF8.self)  // an equal copy
            case 2: message = "short \(n % 9)"  // held in place: equal bit for bit
            default: message = "timeout after \(n) ms on /var/db/\(n % 97).lock for request \(UInt64.random(in: 0...UInt64.max, using: &rng))"
            }
            #expect(templates.template(of: message) == ErrorTemplate.of(message), "\(message)")
        }
        #expect(templates.texts.count == Set(templates.texts).count)
    }
}
