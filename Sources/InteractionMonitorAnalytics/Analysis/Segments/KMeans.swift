import InteractionMonitor
/// SplitMix64: a small seeded generator so k-means runs (and the demo's synthetic data) repeat exactly. Not for
/// anything security-relevant.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// k-means (Lloyd's algorithm) with k-means++ seeding from a fixed seed, best of a few seeded restarts, and k chosen
/// by the mean silhouette when not given. Inputs are standardised first (each column to mean 0, standard
/// deviation 1; constant columns to 0). Deterministic: the same points give the same clusters.
public enum KMeans {
    /// The fixed seed.
    public static let seed: UInt64 = 0x5E6_7E57
    /// Restarts per k (the lowest within-cluster sum of squares wins).
    public static let restarts = 4
    /// The largest k tried automatically.
    public static let maxAutomaticK = 8
    /// Below this best mean silhouette the data are taken as one group.
    public static let minimumSilhouette = 0.25
    /// Users the silhouette is computed on at most (a fixed, evenly spaced subset beyond that).
    public static let silhouetteSample = 1000

    /// Columns scaled to mean 0 and standard deviation 1; NaN and infinities become 0.
    public static func standardised(_ points: [[Double]]) -> [[Double]] {
        guard let dims = points.first?.count, !points.isEmpty else { return points }
        let clean = points.map { $0.map { $0.isFinite ? $0 : 0 } }
        var out = clean
        for d in 0..<dims {
            let col = clean.map { $0.count > d ? $0[d] : 0 }
            let mean = col.reduce(0, +) / Double(col.count)
            let sd = (col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(col.count)).squareRoot()
            for i in out.indices where out[i].count > d { out[i][d] = sd > 1e-12 ? (clean[i][d] - mean) / sd : 0 }
        }
        return out
    }

    static func distance2(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { s += (a[i] - b[i]) * (a[i] - b[i]) }
        return s
    }

    /// Cluster labels (0 ..< k) of standardised `points` for a fixed `k` (clamped to 1 … number of points) and the
    /// within-cluster sum of squares.
    public static func cluster(_ points: [[Double]], k: Int) -> (labels: [Int], inertia: Double) {
        let n = points.count
        guard n > 0 else { return ([], 0) }
        let k = min(max(k, 1), n)
        var rng = SeededGenerator(seed: seed &+ UInt64(k))
        var best: (labels: [Int], inertia: Double)?
        for _ in 0..<restarts {
            let r = lloyd(points, centres: plusPlus(points, k: k, rng: &rng))
            if let b = best, r.inertia >= b.inertia - 1e-12 { continue }
            best = r
        }
        return best ?? (Array(repeating: 0, count: n), 0)
    }

    static func plusPlus(_ points: [[Double]], k: Int, rng: inout SeededGenerator) -> [[Double]] {
        var centres = [points[Int(rng.next() % UInt64(points.count))]]
        var d2 = points.map { distance2($0, centres[0]) }
        while centres.count < k {
            let total = d2.reduce(0, +)
            var pick = 0
            if total > 0 {
                var r = rng.unit() * total
                for (i, d) in d2.enumerated() {
                    r -= d
                    if r <= 0 { pick = i; break }
                    pick = i
                }
            } else {
                pick = Int(rng.next() % UInt64(points.count))
            }
            centres.append(points[pick])
            for i in points.indices { d2[i] = min(d2[i], distance2(points[i], points[pick])) }
        }
        return centres
    }

    static func lloyd(_ points: [[Double]], centres start: [[Double]]) -> (labels: [Int], inertia: Double) {
        var centres = start
        var labels = [Int](repeating: -1, count: points.count)
        let dims = points.first?.count ?? 0
        for _ in 0..<100 {
            var changed = false
            for (i, p) in points.enumerated() {
                var bestJ = 0
                var bestD = Double.infinity
                for (j, c) in centres.enumerated() {
                    let d = distance2(p, c)
                    if d < bestD { bestD = d; bestJ = j }
                }
                if labels[i] != bestJ { labels[i] = bestJ; changed = true }
            }
            if !changed { break }
            var sums = Array(repeating: [Double](repeating: 0, count: dims), count: centres.count)
            var counts = [Int](repeating: 0, count: centres.count)
            for (i, p) in points.enumerated() {
                counts[labels[i]] += 1
                for d in 0..<min(dims, p.count) { sums[labels[i]][d] += p[d] }
            }
            for j in centres.indices where counts[j] > 0 { centres[j] = sums[j].map { $0 / Double(counts[j]) } }
        }
        let inertia = points.enumerated().reduce(0.0) { $0 + distance2($1.element, centres[labels[$1.offset]]) }
        return (labels, inertia)
    }

    /// Mean silhouette of `labels` over (at most ``silhouetteSample``) points; 0 for fewer than two clusters.
    public static func silhouette(_ points: [[Double]], labels: [Int]) -> Double {
        let k = (labels.max() ?? 0) + 1
        guard k >= 2, points.count == labels.count else { return 0 }
        let step = max(1, points.count / silhouetteSample)
        let idx = Array(stride(from: 0, to: points.count, by: step))
        var total = 0.0
        for i in idx {
            var sums = [Double](repeating: 0, count: k)
            var counts = [Int](repeating: 0, count: k)
            for j in idx where j != i {
                sums[labels[j]] += distance2(points[i], points[j]).squareRoot()
                counts[labels[j]] += 1
            }
            let own = labels[i]
            guard counts[own] > 0 else { continue }  // a singleton scores 0
            let a = sums[own] / Double(counts[own])
            let b = (0..<k).filter { $0 != own && counts[$0] > 0 }.map { sums[$0] / Double(counts[$0]) }.min() ?? 0
            let m = max(a, b)
            total += m > 0 ? (b - a) / m : 0
        }
        return total / Double(idx.count)
    }

    /// Labels with `k` given, or chosen: the k in 2 … min(8, n − 1) with the best mean silhouette (searched on at
    /// most ``silhouetteSample`` points), or 1 when no k reaches 0.25 (no real group structure) or there are fewer
    /// than three points.
    public static func labels(_ points: [[Double]], k: Int?) -> (labels: [Int], k: Int, silhouette: Double) {
        if let k {
            let r = cluster(points, k: k)
            return (r.labels, (r.labels.max() ?? -1) + 1, silhouette(points, labels: r.labels))
        }
        guard points.count >= 3 else { return (Array(repeating: 0, count: points.count), points.isEmpty ? 0 : 1, 0) }
        // k is chosen on an evenly spaced subset of at most `silhouetteSample` points (pseudonyms are sorted, so
        // this is an unbiased sample), then everything is clustered with it.
        let step = max(1, points.count / silhouetteSample)
        let sample = step == 1 ? points : Array(stride(from: 0, to: points.count, by: step).map { points[$0] })
        var best: (labels: [Int], k: Int, silhouette: Double) = ([], 1, 0)
        for k in 2...max(2, min(maxAutomaticK, sample.count - 1)) where k < sample.count {
            let r = cluster(sample, k: k)
            let s = silhouette(sample, labels: r.labels)
            if s > best.silhouette + 1e-9 { best = (r.labels, k, s) }
        }
        guard best.silhouette >= minimumSilhouette, best.k > 1 else {
            return (Array(repeating: 0, count: points.count), 1, best.silhouette)
        }
        guard step > 1 else { return best }
        let labels = cluster(points, k: best.k).labels
        return (labels, best.k, silhouette(points, labels: labels))
    }
}
