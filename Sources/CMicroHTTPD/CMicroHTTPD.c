// Non-variadic wrappers around libmicrohttpd's daemon start and info calls.
#include "CMicroHTTPD.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

struct MHD_Daemon *pinn_http_start_daemon(const char *host,
                                          uint16_t port,
                                          unsigned int threads,
                                          unsigned int connection_timeout_seconds,
                                          unsigned int connection_limit,
                                          MHD_AccessHandlerCallback handler,
                                          void *handler_context,
                                          MHD_RequestCompletedCallback completed,
                                          void *completed_context) {
    // MHD reads the address only while binding inside MHD_start_daemon, so stack storage is enough.
    struct sockaddr_in ipv4;
    struct sockaddr_in6 ipv6;
    memset(&ipv4, 0, sizeof ipv4);
    memset(&ipv6, 0, sizeof ipv6);
    const struct sockaddr *address;
    // Suspend/resume lets streamed responses (Server-Sent Events) wait for data without holding a thread.
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (inet_pton(AF_INET, host, &ipv4.sin_addr) == 1) {
        ipv4.sin_family = AF_INET;
        ipv4.sin_port = htons(port);
        address = (const struct sockaddr *)&ipv4;
    } else if (inet_pton(AF_INET6, host, &ipv6.sin6_addr) == 1) {
        ipv6.sin6_family = AF_INET6;
        ipv6.sin6_port = htons(port);
        address = (const struct sockaddr *)&ipv6;
        flags |= MHD_USE_IPv6;
    } else {
        errno = EINVAL;
        return NULL;
    }

    struct MHD_OptionItem options[6];
    int count = 0;
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)address };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds, NULL };
    if (completed != NULL)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, completed_context };
    if (connection_limit > 0)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, connection_limit, NULL };
    if (threads > 1)
        options[count++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL };
    options[count++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };

    // The port argument is ignored when MHD_OPTION_SOCK_ADDR is given; the address carries it.
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_context,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

uint16_t pinn_http_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

int pinn_http_client_address(struct MHD_Connection *connection, char *buffer, size_t length) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL || length == 0) return -1;
    const struct sockaddr *address = info->client_addr;
    const void *source;
    if (address->sa_family == AF_INET)
        source = &((const struct sockaddr_in *)address)->sin_addr;
    else if (address->sa_family == AF_INET6)
        source = &((const struct sockaddr_in6 *)address)->sin6_addr;
    else
        return -1;
    return inet_ntop(address->sa_family, source, buffer, (socklen_t)length) == NULL ? -1 : 0;
}
