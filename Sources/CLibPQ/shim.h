#include <libpq-fe.h>

// PG_DIAG_SQLSTATE is a character-constant macro, which Swift does not import: the five-character SQLSTATE of a
// failed result, or NULL when the failure came from libpq itself (e.g. a lost connection).
static inline const char *pinn_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}
