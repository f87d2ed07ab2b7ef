#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a lock: `Synchronization.Mutex`'s `withLock` over a `pthread_mutex_t`, used everywhere instead of
/// `Mutex` (docs/reliability.md, "Sanitizers").
///
/// Why not `Mutex`: on Linux its uncontended path is an atomic compare-exchange inlined into the caller, but a
/// contended lock or unlock goes through a futex in the Swift runtime's Synchronization library, which is not
/// built with ThreadSanitizer instrumentation. TSan then sees no ordering between one thread's unlock and the
/// next thread's lock, and reports the guarded value as raced whenever two threads actually contend.
/// `pthread_mutex_lock`/`unlock` are intercepted by TSan, so every ordering this lock makes is visible to it.
/// Uncontended, both cost one atomic operation, as `Mutex` does.
public final class Locked<Value>: @unchecked Sendable {
    // A pthread mutex must not move once initialised; a class's stored property has no guaranteed stable address
    // when passed to C, so it lives in its own allocation.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Only touched between `pthread_mutex_lock` and `pthread_mutex_unlock` on `mutex` (hence `@unchecked`).
    @usableFromInline var value: Value

    public init(_ initialValue: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Fails only without memory or with invalid attributes (none are passed): nothing to recover from.
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value, as `Mutex.withLock` does.
    @inlinable
    public func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
