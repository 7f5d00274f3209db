#pragma once

// PgConnection: one libpq connection, owned (closed on destruction), used by one thread.
// Statements run with PQexec/PQexecParams; COPY … FROM STDIN takes text-format rows. Errors
// carry the server's message and say whether a retry may help: a lost connection, a server
// shutting down, a serialization failure or a deadlock are transient; bad SQL or data is not.

#include "common/result.h"

#include <QString>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace weir::connectors::postgres {

class PgResult final
{
public:
    explicit PgResult(pg_result *result = nullptr) : m_result(result) {}
    PgResult(PgResult &&other) noexcept : m_result(std::exchange(other.m_result, nullptr)) {}
    PgResult &operator=(PgResult &&other) noexcept;
    PgResult(const PgResult &) = delete;
    PgResult &operator=(const PgResult &) = delete;
    ~PgResult();

    int rows() const;
    int columns() const;
    std::string columnName(int column) const;
    unsigned columnType(int column) const; // the type's object id
    bool isNull(int row, int column) const;
    std::string text(int row, int column) const;
    std::string_view view(int row, int column) const; // valid while the result lives

private:
    pg_result *m_result;
};

class PgConnection final
{
public:
    PgConnection() = default;
    PgConnection(PgConnection &&other) noexcept : m_conn(std::exchange(other.m_conn, nullptr)) {}
    PgConnection &operator=(PgConnection &&other) noexcept;
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;
    ~PgConnection();

    // `conninfo`: a libpq URI or key=value string (secrets already resolved).
    static Result<PgConnection> connect(const std::string &conninfo);
    // A logical replication connection (replication=database) to the same database, with the
    // session settings of kReadSessionSettings, so the change stream's values read back
    // exactly as the reading connections' do.
    static Result<PgConnection> connectForReplication(const std::string &conninfo);

    Status exec(const std::string &sql);
    // As exec, running `meanwhile` here while the server works on `sql`.
    Status exec(const std::string &sql, const std::function<void()> &meanwhile);
    // Positional parameters $1…$n, as text.
    Result<PgResult> query(const std::string &sql, const std::vector<std::string> &params = {});
    // One statement by the simple query protocol, the only one a replication connection has.
    Result<PgResult> simpleQuery(const std::string &sql);
    // COPY … FROM STDIN in text format (one line per row), streamed: `next` appends the next
    // rows to its buffer and returns false once it has added the last, so the server parses
    // one piece while the next is being written.
    Status copyIn(const std::string &copySql, const std::function<bool(std::string &)> &next);

    // The COPY BOTH stream of a replication connection (START_REPLICATION): start it, take the
    // next message (nothing when none arrives within `timeoutMs`), send one.
    Status startCopyBoth(const std::string &sql);
    Result<std::optional<std::string>> readCopyData(int timeoutMs);
    Status putCopyData(std::string_view data);

    bool isOpen() const { return m_conn != nullptr; }
    // Connected and not broken (a lost connection stays lost: connect again).
    bool isUsable() const;
    // The server's version as text, e.g. "15.8".
    std::string serverVersion() const;

private:
    static Result<PgConnection> open(const char *const *keywords, const char *const *values);
    Error lastError(pg_result *result, const QString &what) const;

    pg_conn *m_conn = nullptr;
};

} // namespace weir::connectors::postgres
