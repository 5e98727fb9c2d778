import InteractionMonitor
internal import MonitorCrypto
import Foundation

/// Differentially private user segments (the `segments --epsilon` release): k-means by the private Lloyd
/// iteration (as in Su et al., *Differentially private k-means clustering*, 2016): centroids start at random
/// points of the feature box (libsodium, independent of the data) and every iteration moves them to the noisy
/// mean of the users nearest to each — computed only from a noisy count and a noisy coordinate sum per segment.
///
/// Each user is one point of five bounded features, quantised to integers `0…1000`: success rate, the hour of
/// activity on the circle (sine and cosine, shifted to 0…1), session length and activity
/// (`log(1+x)` scaled and capped at 8 hours and 1,000 interactions). One user is in one segment, so a count has
/// sensitivity 1 and a coordinate sum 5,000 (L1 over the five coordinates). The ``iterations`` × 2 figures share ε
/// by basic composition; the last iteration's noisy counts and means are the released segments. Command mixes
/// and member lists are withheld (which commands exist is itself data).
public struct PrivateSegments: Sendable {
    /// Lloyd iterations (each releases counts and sums).
    public static let iterations = 5
    /// Figures the release shares ε between.
    public static let figureCount = 2 * iterations
    /// Quantisation of each feature.
    public static let scale: Int64 = 1000
    /// Features per user.
    public static let dimensions = 5
    static let maxMinutes = 480.0
    static let maxInteractions = 1000.0

    /// One released segment.
    public struct Segment: Sendable, Hashable {
        /// Its number, largest first.
        public var segmentID: Int
        /// Noisy number of users.
        public var size: Int64
        /// Mean success rate.
        public var successRate: Double
        /// The hour of day (UTC) the segment is active around.
        public var typicalHour: Int
        /// Typical session length in minutes.
        public var sessionMinutes: Double
        /// Typical interactions per user.
        public var interactions: Double
        /// A one-line summary.
        public var description: String {
            "about \(size) users, success \(Int((successRate * 100).rounded())) %, active around \(typicalHour):00 UTC, sessions ~\(Int(sessionMinutes.rounded())) min, ~\(Int(interactions.rounded())) interactions each"
        }
    }

    /// The released segments with a positive noisy size, largest first.
    public var segments: [Segment] = []
    /// Segments asked for.
    public var k: Int
    /// The privacy loss of the release.
    public var epsilon: PrivacyAmount

    /// One user's quantised features.
    static func point(_ u: UserFeatures) -> [Int64] {
        func q(_ x: Double) -> Int64 { Int64((min(max(x, 0), 1) * Double(scale)).rounded()) }
        return [
            q(u.successRate), q((u.hourSin + 1) / 2), q((u.hourCos + 1) / 2),
            q(log1p(max(u.avgSessionMinutes, 0)) / log1p(maxMinutes)),
            q(log1p(Double(max(u.interactions, 0))) / log1p(maxInteractions)),
        ]
    }

    /// Clusters `features` into `k` segments for `epsilon` (charge the ledger first).
    public static func release(_ features: UserFeatureTable, k: Int, epsilon: PrivacyAmount) throws -> PrivateSegments {
        try release(points: features.users.map(point), k: k, epsilon: epsilon).segments
    }

    /// The private Lloyd iteration over quantised points; also returns the final centroids (in quantised units).
    static func release(points: [[Int64]], k: Int, epsilon: PrivacyAmount) throws
        -> (segments: PrivateSegments, centroids: [[Double]])
    {
        var centroids: [[Double]] = []
        for _ in 0..<k {
            var c: [Double] = []
            for _ in 0..<dimensions { c.append(Double(try RandomBytes.uniform(UInt32(scale) + 1))) }
            centroids.append(c)
        }
        var counts = [Int64](repeating: 0, count: k)
        for iteration in 0..<iterations {
            var exactCounts = [Int64](repeating: 0, count: k)
            var sums = [[Int64]](repeating: [Int64](repeating: 0, count: dimensions), count: k)
            for p in points {
                let j = nearest(p, centroids)
                exactCounts[j] += 1
                for d in 0..<dimensions { sums[j][d] += p[d] }
            }
            for j in 0..<k {
                counts[j] = exactCounts[j] + (try DiscreteLaplace.noise(sensitivity: figureCount, epsilon: epsilon))
                var noisySum: [Int64] = []
                for d in 0..<dimensions {
                    noisySum.append(
                        sums[j][d]
                            + (try DiscreteLaplace.noise(sensitivity: figureCount * dimensions * Int(scale), epsilon: epsilon)))
                }
                // A segment whose noisy size is not positive keeps its centroid.
                guard counts[j] > 0 else { continue }
                centroids[j] = noisySum.map { min(max(Double($0) / Double(counts[j]), 0), Double(scale)) }
            }
            // Before the last iteration, a (nearly) empty segment restarts beside the largest one, so the next
            // iterations can split it. This looks only at noisy counts and centroids (post-processing).
            if iteration < iterations - 1, let largest = counts.indices.max(by: { counts[$0] < counts[$1] }) {
                let total = counts.reduce(0) { $0 + max($1, 0) }
                for j in 0..<k where j != largest && counts[j] < max(2, total / Int64(20 * k)) {
                    var moved: [Double] = []
                    for d in 0..<dimensions {
                        let offset = Double(try RandomBytes.uniform(UInt32(scale / 5) + 1)) - Double(scale / 10)
                        moved.append(min(max(centroids[largest][d] + offset, 0), Double(scale)))
                    }
                    centroids[j] = moved
                }
            }
        }
        var out = PrivateSegments(k: k, epsilon: epsilon)
        let order = (0..<k).filter { counts[$0] > 0 }.sorted { counts[$0] > counts[$1] }
        for (n, j) in order.enumerated() {
            let c = centroids[j].map { $0 / Double(scale) }
            var hour = atan2(c[1] * 2 - 1, c[2] * 2 - 1) / (2 * Double.pi) * 24
            if hour < 0 { hour += 24 }
            out.segments.append(
                Segment(
                    segmentID: n + 1, size: counts[j], successRate: c[0], typicalHour: Int(hour.rounded()) % 24,
                    sessionMinutes: expm1(c[3] * log1p(maxMinutes)), interactions: expm1(c[4] * log1p(maxInteractions))))
        }
        return (out, order.map { centroids[$0] })
    }

    static func nearest(_ p: [Int64], _ centroids: [[Double]]) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (j, c) in centroids.enumerated() {
            var d = 0.0
            for i in 0..<p.count {
                let x = Double(p[i]) - c[i]
                d += x * x
            }
            if d < bestDistance {
                bestDistance = d
                best = j
            }
        }
        return best
    }

    /// JSON: `k`, `segments` (`segment`, `size`, `success_rate`, `typical_hour`, `session_minutes`,
    /// `interactions`, `description`), `epsilon`, `mechanism`.
    public var json: JSONValue {
        .object([
            "k": .int(Int64(k)), "epsilon": .string(epsilon.description),
            "segments": .array(segments.map { s in
                .object([
                    "segment": .int(Int64(s.segmentID)), "size": .int(s.size), "success_rate": .double(s.successRate),
                    "typical_hour": .int(Int64(s.typicalHour)), "session_minutes": .double(s.sessionMinutes),
                    "interactions": .double(s.interactions), "description": .string(s.description),
                ])
            }),
            "mechanism": .string("private Lloyd k-means, \(Self.iterations) iterations; discrete Laplace, basic composition over \(Self.figureCount) figures"),
        ])
    }
}
