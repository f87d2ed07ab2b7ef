// libmicrohttpd for Swift: the library's header plus a non-variadic daemon start and a bound-port query.
#ifndef C_MICRO_HTTPD_H
#define C_MICRO_HTTPD_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

/// Starts a daemon with its own polling threads (epoll where available), listening on `host:port`.
///
/// Exists because `MHD_start_daemon` is variadic and Swift cannot call it.
/// - `host`: numeric IPv4 or IPv6 address (`"127.0.0.1"`, `"::1"`, `"0.0.0.0"`); names are not resolved.
/// - `port`: 0 asks the kernel for an ephemeral port (read it back with `pinn_http_bound_port`).
/// - `threads`: size of the polling thread pool; 0 or 1 means a single internal thread.
/// - `connection_timeout_seconds`: idle connections are closed after this long; 0 means never.
/// - `connection_limit`: maximum concurrent connections; 0 keeps libmicrohttpd's default.
/// - `completed` (may be NULL) is called once per request, aborted ones included: the place to free `*con_cls`.
/// Returns NULL with `errno` set to EINVAL for an unparsable host; NULL otherwise when libmicrohttpd fails
/// (typically the address is in use), after it logged why on stderr.
struct MHD_Daemon *pinn_http_start_daemon(const char *host,
                                          uint16_t port,
                                          unsigned int threads,
                                          unsigned int connection_timeout_seconds,
                                          unsigned int connection_limit,
                                          MHD_AccessHandlerCallback handler,
                                          void *handler_context,
                                          MHD_RequestCompletedCallback completed,
                                          void *completed_context);

/// The port the daemon's listening socket is bound to (useful after asking for port 0); 0 if unknown.
uint16_t pinn_http_bound_port(struct MHD_Daemon *daemon);

/// The client's numeric address ("127.0.0.1", "::1") into `buffer` (NUL-terminated); returns 0, or -1 when unknown.
/// Exists because `MHD_get_connection_info` is variadic.
int pinn_http_client_address(struct MHD_Connection *connection, char *buffer, size_t length);

#endif
