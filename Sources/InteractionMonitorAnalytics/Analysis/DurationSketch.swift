import InteractionMonitor
import Foundation

/// A mergeable quantile sketch for durations with bounded relative error (the DDSketch construction): values go
/// into logarithmic buckets of ratio γ = (1+α)/(1−α), so any quantile is returned within a relative error of
/// α = 1 % of the true value, in memory bounded by the range of values (about 1,400 buckets from 1 µs to 1 day),
/// not by how many values were added.
public struct DurationSketch: Sendable, Hashable {
    /// Relative accuracy of quantiles.
    public static let relativeAccuracy = 0.01
    private static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    private static let logGamma = log(gamma)
    /// Values at or below this (ms) count as zero.
    private static let minimum = 1e-6

    private var buckets: [Int32: Int] = [:]
    private var zeros = 0
    /// Values added.
    public private(set) var count = 0
    /// Sum of values (for the mean).
    public private(set) var sum = 0.0
    /// Smallest value added.
    public private(set) var min = Double.infinity
    /// Largest value added.
    public private(set) var max = -Double.infinity

    /// An empty sketch.
    public init() {}

    /// Adds a value (negative and non-finite values count as 0).
    public mutating func add(_ value: Double) {
        let v = value.isFinite && value > 0 ? value : 0
        count += 1
        sum += v
        min = Swift.min(min, v)
        max = Swift.max(max, v)
        if v <= Self.minimum {
            zeros += 1
        } else {
            buckets[Int32((log(v) / Self.logGamma).rounded(.up)), default: 0] += 1
        }
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: DurationSketch) {
        for (k, n) in other.buckets { buckets[k, default: 0] += n }
        zeros += other.zeros
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// How many values lie above `value`, at bucket resolution (values within the sketch's relative accuracy of
    /// `value` count as not above it).
    public func count(above value: Double) -> Int {
        guard value > Self.minimum else { return count - zeros }
        let key = Int32((log(value) / Self.logGamma).rounded(.up))
        return buckets.reduce(0) { $0 + ($1.key > key ? $1.value : 0) }
    }

    /// The mean, 0 when empty.
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The `q`-quantile (0…1) within 1 % relative error; 0 when empty. Uses the lower rank (`⌊q·(n−1)⌋`).
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = Int((Swift.min(Swift.max(q, 0), 1) * Double(count - 1)).rounded(.down))
        if rank < zeros { return 0 }
        var seen = zeros
        for key in buckets.keys.sorted() {
            seen += buckets[key]!
            if seen > rank {
                // The bucket (γ^(k−1), γ^k] is represented by the value with equal relative error to both ends.
                let value = 2 * pow(Self.gamma, Double(key)) / (Self.gamma + 1)
                return Swift.min(Swift.max(value, min), max)
            }
        }
        return max
    }
}
