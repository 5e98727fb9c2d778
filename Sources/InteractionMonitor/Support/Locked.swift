import Synchronization

#if IM_TSAN
#if canImport(Glibc)
import Glibc
#endif

/// ThreadSanitizer builds (`-D IM_TSAN`, set by Scripts/test.sh) use a pthread mutex, which TSan understands;
/// `Synchronization.Mutex` on Linux is a raw futex that TSan cannot see, so every access it protects would be
/// reported as a race.
package final class Locked<Value>: @unchecked Sendable {
    // Guarded by `mutex`.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    package func withLockIfAvailable<R>(_ body: (inout Value) throws -> R) rethrows -> R? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
#else
/// The lock used throughout: `Synchronization.Mutex` (a pthread-mutex class under ThreadSanitizer, see above).
package typealias Locked<Value> = Mutex<Value>
#endif
