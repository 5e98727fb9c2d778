import Foundation
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// The integer noise sampler behind `--epsilon`: its empirical spread matches the mechanism's scale, it is
/// symmetric, and exact amounts parse and print without drift.
struct DiscreteLaplaceTests {
    /// Variance of the discrete Laplace distribution with scale `b`: 2p / (1 - p)², p = e^{-1/b}.
    func variance(scale b: Double) -> Double {
        let p = exp(-1 / b)
        return 2 * p / ((1 - p) * (1 - p))
    }

    @Test(arguments: [(1, "0.5"), (1, "1"), (5, "2"), (3, "0.25")])
    func empiricalSpreadMatchesTheScale(sensitivity: Int, epsilon: String) throws {
        let eps = try PrivacyAmount(parsing: epsilon)
        let n = 20_000
        var sum = 0.0
        var squares = 0.0
        var zeros = 0
        for _ in 0..<n {
            let x = Double(try DiscreteLaplace.noise(sensitivity: sensitivity, epsilon: eps))
            sum += x
            squares += x * x
            if x == 0 { zeros += 1 }
        }
        let scale = Double(sensitivity) / (Double(eps.micros) / 1e6)
        let expected = variance(scale: scale).squareRoot()
        let mean = sum / Double(n)
        let observed = (squares / Double(n) - mean * mean).squareRoot()
        #expect(abs(observed / expected - 1) < 0.15, "std \(observed) vs \(expected) at scale \(scale)")
        #expect(abs(mean) < 4 * expected / Double(n).squareRoot(), "mean \(mean)")
        // P(0) = (1 - p) / (1 + p).
        let p = exp(-1 / scale)
        let p0 = (1 - p) / (1 + p)
        #expect(abs(Double(zeros) / Double(n) - p0) < 0.02, "P(0) \(Double(zeros) / Double(n)) vs \(p0)")
    }

    @Test func largeScalesUseTheWideRandomPath() throws {
        // scale 4,000,000,000 / 1: beyond 2^31, still finite and symmetric in sign.
        var negatives = 0
        for _ in 0..<200 where try DiscreteLaplace.sample(scaleNumerator: 4_000_000_000, denominator: 1) < 0 { negatives += 1 }
        #expect(negatives > 60 && negatives < 140)
        #expect(throws: InteractionMonitorError.self) { try DiscreteLaplace.sample(scaleNumerator: 0, denominator: 1) }
    }

    @Test func amountsAreExact() throws {
        #expect(try PrivacyAmount(parsing: "0.5").micros == 500_000)
        #expect(try PrivacyAmount(parsing: "2").description == "2")
        #expect(try PrivacyAmount(parsing: ".25").description == "0.25")
        var total = PrivacyAmount(micros: 0)
        for _ in 0..<10 { total = total + (try PrivacyAmount(parsing: "0.1")) }
        #expect(total == (try PrivacyAmount(parsing: "1")))  // no 0.1 + … drift
        for bad in ["", "0", "-1", "0.0000001", "abc", "1e3", "1.", "nan", "inf", "2000000"] {
            #expect(throws: InteractionMonitorError.self, "\(bad)") { try PrivacyAmount(parsing: bad) }
        }
    }
}
