/// What the daemon's callbacks need, passed to them through libmicrohttpd's `cls` pointer.
/// Immutable, hence safe to share between the polling threads.
final class DaemonContext: Sendable {
    let router: Router
    let maxBodyBytes: Int

    init(router: Router, maxBodyBytes: Int) {
        self.router = router
        self.maxBodyBytes = maxBodyBytes
    }
}
