import Foundation

/// A few threads of its own that run submitted jobs in submission order, for work that must use every core while
/// the submitting thread keeps going: the reader opens chunks ahead on them while it delivers.
///
/// Dispatch's global queue is not used for this because it sizes its pool by the threads it sees busy, not by the
/// thread blocked waiting for the result; on two cores it runs these jobs on one thread. Threads end when
/// ``finish()`` has been called and the jobs submitted before it are done.
final class WorkerThreads: @unchecked Sendable {
    // `jobs` and `finishing` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var next = 0
    private var finishing = false

    /// `count` threads (at least one), started now.
    init(count: Int) {
        for _ in 0..<max(count, 1) {
            let thread = Thread { [self] in run() }
            thread.name = "interaction-monitor.reader"
            thread.start()
        }
    }

    /// Runs `job` on one of the threads.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once the jobs already submitted are done.
    func finish() {
        condition.lock()
        finishing = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while next == jobs.count && !finishing { condition.wait() }
            guard next < jobs.count else {
                condition.unlock()
                return
            }
            let job = jobs[next]
            next += 1
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            job()
        }
    }
}
