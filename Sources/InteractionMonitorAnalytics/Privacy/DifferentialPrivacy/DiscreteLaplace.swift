import InteractionMonitor
internal import MonitorCrypto
import Foundation

/// Exact sampling from the discrete Laplace distribution, `P(z) ∝ exp(-|z| / scale)` over the integers, using only
/// integer arithmetic and libsodium's unbiased `randombytes_uniform` — no floating point, so the output carries no
/// rounding artefacts that could leak the value it hides (the attack on textbook floating-point Laplace noise), and
/// no seeded generator.
///
/// The algorithm is Canonne, Kamath and Steinke, *The Discrete Gaussian for Differential Privacy* (2020),
/// Algorithm 2, with `scale = t / s` for integers `t, s ≥ 1`. For a count with sensitivity `Δ` released with
/// privacy loss ε = n/d, the scale is `Δ/ε = Δ·d/n`. Its variance is `2e^{-1/scale} / (1 - e^{-1/scale})²`.
public enum DiscreteLaplace {
    /// One sample with scale `t/s`.
    /// - Throws: when the random source fails, or for parameters outside `1...UInt32.max`.
    public static func sample(scaleNumerator t: UInt64, denominator s: UInt64) throws -> Int64 {
        guard t >= 1, s >= 1, t <= UInt64(UInt32.max), s <= UInt64(UInt32.max) else {
            throw InteractionMonitorError(.configuration, "discrete Laplace scale \(t)/\(s) is out of range")
        }
        while true {
            let u = UInt64(try RandomBytes.uniform(UInt32(t)))
            guard try bernoulliExp(numerator: u, denominator: t) else { continue }
            var v: UInt64 = 0
            while try bernoulliExp(numerator: 1, denominator: 1) { v += 1 }
            let x = u + t * v
            let y = x / s
            let negative = try RandomBytes.uniform(2) == 1
            if negative && y == 0 { continue }
            return negative ? -Int64(clamping: y) : Int64(clamping: y)
        }
    }

    /// Noise for a released count: scale `sensitivity / epsilon`.
    /// When the exact fraction does not fit the sampler's 32-bit range, it is coarsened upwards (numerator rounded
    /// up, denominator down): the scale only grows, so the guarantee holds with slightly more noise.
    public static func noise(sensitivity: Int, epsilon: PrivacyAmount) throws -> Int64 {
        var (t, s) = reduced(UInt64(max(sensitivity, 1)) * 1_000_000, UInt64(max(epsilon.micros, 1)))
        while t > UInt64(UInt32.max) || s > UInt64(UInt32.max) {
            t = (t + 1) / 2
            s = max(s / 2, 1)
        }
        return try sample(scaleNumerator: t, denominator: s)
    }

    /// The distribution's standard deviation at `scale`: √(2p) / (1 − p), p = e^(−1/scale).
    public static func standardDeviation(scale: Double) -> Double {
        let p = exp(-1 / scale)
        return (2 * p).squareRoot() / (1 - p)
    }

    /// `a/b` in lowest terms.
    static func reduced(_ a: UInt64, _ b: UInt64) -> (UInt64, UInt64) {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? (a, b) : (a / x, b / x)
    }

    /// Bernoulli(n/d) for `0 ≤ n ≤ d`.
    static func bernoulli(numerator n: UInt64, denominator d: UInt64) throws -> Bool {
        if n >= d { return true }
        return UInt64(try uniform(d)) < n
    }

    /// Uniform in `0..<d`: libsodium's `randombytes_uniform` below 2³², else 64-bit rejection sampling over
    /// random bytes (unbiased either way).
    private static func uniform(_ d: UInt64) throws -> UInt64 {
        if d <= UInt64(UInt32.max) { return UInt64(try RandomBytes.uniform(UInt32(d))) }
        let limit = UInt64.max - UInt64.max % d  // accept draws below a multiple of d
        while true {
            let bytes = try RandomBytes.generate(8)
            let x = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if x < limit { return x % d }
        }
    }

    /// Bernoulli(exp(-n/d)) for `n ≥ 0`, exactly (CKS Algorithm 1).
    static func bernoulliExp(numerator n: UInt64, denominator d: UInt64) throws -> Bool {
        if n <= d {
            var k: UInt64 = 1
            while try bernoulli(numerator: n, denominator: d * k) { k += 1 }
            return k % 2 == 1
        }
        for _ in 0..<(n / d) where !(try bernoulliExp(numerator: 1, denominator: 1)) { return false }
        return try bernoulliExp(numerator: n % d, denominator: d)
    }
}
