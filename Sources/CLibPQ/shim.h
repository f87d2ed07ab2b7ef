#include <libpq-fe.h>

// PG_DIAG_SQLSTATE is a character-constant macro, which Swift does not import: the five-character SQLSTATE of a
// failed result, or NULL when the failure came from libpq itself (e.g. a lost connection).
static inline const char *pinn_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

// PG_DIAG_MESSAGE_PRIMARY likewise: the server's one-line message, without libpq's "ERROR:  " prefix and detail lines.
static inline const char *pinn_pq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}
