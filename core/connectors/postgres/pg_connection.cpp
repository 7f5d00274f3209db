#include "connectors/postgres/pg_connection.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <libpq-fe.h>
#include <poll.h>

namespace weir::connectors::postgres {
namespace {

// SQLSTATE classes and codes where the same statement may well succeed a moment later.
bool isTransientState(std::string_view state)
{
    return state.substr(0, 2) == "08"                                  // connection exception
           || state == "57P01" || state == "57P02" || state == "57P03" // shutdown, starting
           || state == "40001" || state == "40P01" // serialization failure, deadlock
           || state == "53300"                     // too many connections
           || state == "55006"; // object in use: a slot still held by a client just gone
}

// libpq's messages span lines with tab-indented hints: one line reads better everywhere.
QString oneLine(const char *text)
{
    return QString::fromUtf8(text ? text : "").simplified();
}

} // namespace

PgResult &PgResult::operator=(PgResult &&other) noexcept
{
    if (this != &other) {
        PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

PgResult::~PgResult()
{
    PQclear(m_result);
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result) : 0;
}

int PgResult::columns() const
{
    return m_result ? PQnfields(m_result) : 0;
}

std::string PgResult::columnName(int column) const
{
    return PQfname(m_result, column);
}

unsigned PgResult::columnType(int column) const
{
    return PQftype(m_result, column);
}

std::string_view PgResult::view(int row, int column) const
{
    return {PQgetvalue(m_result, row, column),
            static_cast<std::size_t>(PQgetlength(m_result, row, column))};
}

bool PgResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result, row, column) != 0;
}

std::string PgResult::text(int row, int column) const
{
    return std::string(PQgetvalue(m_result, row, column),
                       static_cast<std::size_t>(PQgetlength(m_result, row, column)));
}

PgConnection &PgConnection::operator=(PgConnection &&other) noexcept
{
    if (this != &other) {
        PQfinish(m_conn);
        m_conn = std::exchange(other.m_conn, nullptr);
    }
    return *this;
}

PgConnection::~PgConnection()
{
    PQfinish(m_conn);
}

Result<PgConnection> PgConnection::open(const char *const *keywords, const char *const *values)
{
    PgConnection c;
    c.m_conn = PQconnectdbParams(keywords, values, 1);
    // Notices ("relation … already exists, skipping") are chatter, not news for the user.
    PQsetNoticeProcessor(
        c.m_conn, [](void *, const char *) {}, nullptr);
    if (PQstatus(c.m_conn) != CONNECTION_OK) {
        // The server may be starting or briefly away: worth another try.
        return makeError(ErrorCode::Transient, QStringLiteral("cannot connect to PostgreSQL: %1")
                                                   .arg(oneLine(PQerrorMessage(c.m_conn))));
    }
    return c;
}

Result<PgConnection> PgConnection::connect(const std::string &conninfo)
{
    // A server that does not answer fails the attempt after 10 s (libpq waits forever by
    // default), and the server lists the session as Weir's; settings in the connection
    // string come later and win.
    const char *keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char *values[] = {"10", "weir", conninfo.c_str(), nullptr};
    return open(keywords, values);
}

// kReadSessionSettings as server options, for a session where SET is not available.
constexpr const char *kSessionOptions = "-c DateStyle=ISO -c TimeZone=UTC -c "
                                        "IntervalStyle=iso_8601 -c extra_float_digits=1 -c "
                                        "bytea_output=hex";

Result<PgConnection> PgConnection::connectForReplication(const std::string &conninfo)
{
    // The walsender formats values with its own session settings: set them at startup, as
    // SET is not available on a replication connection once it streams.
    const char *keywords[] = {"connect_timeout", "application_name", "options",
                              "dbname",          "replication",      nullptr};
    const char *values[] = {"10", "weir", kSessionOptions, conninfo.c_str(), "database", nullptr};
    return open(keywords, values);
}

Error PgConnection::lastError(pg_result *result, const QString &what) const
{
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const bool lost = PQstatus(m_conn) != CONNECTION_OK;
    const QString message = result && PQresultErrorMessage(result)[0]
                                ? oneLine(PQresultErrorMessage(result))
                                : oneLine(PQerrorMessage(m_conn));
    const bool transient = lost || (state && isTransientState(state));
    return makeError(transient ? ErrorCode::Transient : ErrorCode::Invalid,
                     QStringLiteral("%1: %2").arg(what, message));
}

Status PgConnection::exec(const std::string &sql)
{
    pg_result *result = PQexec(m_conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(result);
        return {};
    }
    Error error = lastError(result, QStringLiteral("PostgreSQL refused the statement"));
    PQclear(result);
    return error;
}

Status PgConnection::exec(const std::string &sql, const std::function<void()> &meanwhile)
{
    if (PQsendQuery(m_conn, sql.c_str()) != 1)
        return lastError(nullptr, QStringLiteral("PostgreSQL refused the statement"));
    meanwhile();
    Status status;
    while (pg_result *result = PQgetResult(m_conn)) {
        const ExecStatusType got = PQresultStatus(result);
        if (status && got != PGRES_COMMAND_OK && got != PGRES_TUPLES_OK)
            status = lastError(result, QStringLiteral("PostgreSQL refused the statement"));
        PQclear(result);
    }
    return status;
}

Result<PgResult> PgConnection::query(const std::string &sql, const std::vector<std::string> &params)
{
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const std::string &p : params)
        values.push_back(p.c_str());
    pg_result *result = PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                     values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return PgResult(result);
    Error error = lastError(result, QStringLiteral("PostgreSQL refused the statement"));
    PQclear(result);
    return error;
}

Result<PgResult> PgConnection::simpleQuery(const std::string &sql)
{
    pg_result *result = PQexec(m_conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return PgResult(result);
    Error error = lastError(result, QStringLiteral("PostgreSQL refused the statement"));
    PQclear(result);
    return error;
}

Status PgConnection::copyIn(const std::string &copySql,
                            const std::function<bool(std::string &)> &next)
{
    pg_result *start = PQexec(m_conn, copySql.c_str());
    if (PQresultStatus(start) != PGRES_COPY_IN) {
        Error error = lastError(start, QStringLiteral("COPY did not start"));
        PQclear(start);
        return error;
    }
    PQclear(start);
    std::string piece;
    for (bool more = true; more;) {
        piece.clear();
        more = next(piece);
        if (!piece.empty() &&
            PQputCopyData(m_conn, piece.data(), static_cast<int>(piece.size())) != 1)
            return lastError(nullptr, QStringLiteral("COPY failed"));
    }
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        return lastError(nullptr, QStringLiteral("COPY failed"));
    Status status;
    while (pg_result *result = PQgetResult(m_conn)) {
        if (status && PQresultStatus(result) != PGRES_COMMAND_OK)
            status = lastError(result, QStringLiteral("COPY failed"));
        PQclear(result);
    }
    return status;
}

Status PgConnection::startCopyBoth(const std::string &sql)
{
    pg_result *result = PQexec(m_conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COPY_BOTH) {
        Error error = lastError(result, QStringLiteral("the replication stream did not start"));
        PQclear(result);
        return error;
    }
    PQclear(result);
    return {};
}

Result<std::optional<std::string>> PgConnection::readCopyData(int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool consumed = false;
    for (;;) {
        char *buffer = nullptr;
        const int n = PQgetCopyData(m_conn, &buffer, 1);
        if (n > 0) {
            std::string message(buffer, static_cast<std::size_t>(n));
            PQfreemem(buffer);
            return std::optional<std::string>(std::move(message));
        }
        if (n < 0) { // the stream ended (-1) or failed (-2): the server's result says why
            pg_result *result = PQgetResult(m_conn);
            Error error =
                lastError(result, n == -1 ? QStringLiteral("the replication stream ended")
                                          : QStringLiteral("the replication stream failed"));
            // Ended without an error of its own (a server shutting down): connect again.
            if (!result || !PQresultErrorField(result, PG_DIAG_SQLSTATE))
                error.code = ErrorCode::Transient;
            PQclear(result);
            return error;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 && consumed)
            return std::optional<std::string>();
        // Without time left, what already arrived on the socket still counts.
        if (left.count() > 0) {
            pollfd socket{PQsocket(m_conn), POLLIN, 0};
            if (::poll(&socket, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
                return makeError(ErrorCode::Transient,
                                 QStringLiteral("waiting for the replication stream failed"));
        }
        if (PQconsumeInput(m_conn) == 0)
            return lastError(nullptr, QStringLiteral("the replication stream failed"));
        consumed = true;
    }
}

Status PgConnection::putCopyData(std::string_view data)
{
    if (PQputCopyData(m_conn, data.data(), static_cast<int>(data.size())) != 1 ||
        PQflush(m_conn) != 0)
        return lastError(nullptr, QStringLiteral("cannot send to the replication stream"));
    return {};
}

bool PgConnection::isUsable() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

std::string PgConnection::serverVersion() const
{
    const int v = PQserverVersion(m_conn);
    return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

} // namespace weir::connectors::postgres
