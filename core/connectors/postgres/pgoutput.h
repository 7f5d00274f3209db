#pragma once

// The bytes of a logical replication stream (START_REPLICATION … pgoutput, proto_version '1',
// as PostgreSQL 15 sends them), decoded into plain structs: the COPY framing (XLogData and
// keepalive), the standby status update we send back, and the pgoutput messages inside
// XLogData. Pure functions, no libpq and no I/O; every read is bounds-checked, and a short or
// malformed buffer is an Invalid error naming the message type and the byte offset.

#include "common/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace weir::connectors::postgres::pgoutput {

// PostgreSQL counts time in microseconds since 2000-01-01 UTC; decoded structs carry Unix
// microseconds. Both conversions saturate instead of overflowing.
std::int64_t unixMicrosFromPg(std::int64_t pgMicros);
std::int64_t pgMicrosFromUnix(std::int64_t unixMicros);

// "16/B374D848", as PostgreSQL prints a pg_lsn: upper-case hex, no leading zeros.
std::string formatLsn(std::uint64_t lsn);
// What pg_lsn accepts: 1 to 8 hex digits, '/', 1 to 8 hex digits, nothing else.
std::optional<std::uint64_t> parseLsn(std::string_view text);

// ---- Replication COPY framing: one PQgetCopyData buffer of a START_REPLICATION stream ----

// 'w': WAL data. `payload` points into the decoded buffer and is valid while it lives.
struct XLogData
{
    std::uint64_t start = 0;  // the WAL position of the payload
    std::uint64_t walEnd = 0; // the end of WAL on the server
    std::int64_t sendTimeUnixMicros = 0;
    std::string_view payload; // one pgoutput message: decodeMessage(payload)

    friend bool operator==(const XLogData &, const XLogData &) = default;
};

// 'k': the server's keepalive; when `replyRequested`, answer with a status update at once or
// the server drops the connection after wal_sender_timeout.
struct Keepalive
{
    std::uint64_t walEnd = 0;
    std::int64_t sendTimeUnixMicros = 0;
    bool replyRequested = false;

    friend bool operator==(const Keepalive &, const Keepalive &) = default;
};

using CopyMessage = std::variant<XLogData, Keepalive>;

Result<CopyMessage> decodeCopyMessage(std::string_view bytes);

// 'r': the standby status update (34 bytes). `flushed` is what the slot may discard up to.
std::string encodeStandbyStatus(std::uint64_t written, std::uint64_t flushed, std::uint64_t applied,
                                std::int64_t clockMicrosSince2000);

// ---- pgoutput messages (the payload of XLogData) ----

struct TupleValue
{
    enum class Kind : char
    {
        Null = 'n',
        Unchanged = 'u', // a TOASTed value the update did not change: not sent
        Text = 't',
        Binary = 'b',
    };
    Kind kind = Kind::Null;
    std::string bytes; // for Text and Binary only

    friend bool operator==(const TupleValue &, const TupleValue &) = default;
};

using Tuple = std::vector<TupleValue>;

// Which old row an Update or Delete carries, set by the table's REPLICA IDENTITY.
enum class OldTuple : char
{
    None = '\0', // an Update that changed no key column (REPLICA IDENTITY DEFAULT / INDEX)
    Key = 'K',   // the key columns only; the other columns are Null
    Full = 'O',  // the whole old row (REPLICA IDENTITY FULL)
};

// 'B': a transaction starts; its changes follow, then its Commit.
struct Begin
{
    std::uint64_t finalLsn = 0; // the LSN of the commit record
    std::int64_t commitTimeUnixMicros = 0;
    std::uint32_t xid = 0;

    friend bool operator==(const Begin &, const Begin &) = default;
};

// 'C'
struct Commit
{
    std::uint8_t flags = 0; // unused by PostgreSQL 15
    std::uint64_t commitLsn = 0;
    std::uint64_t endLsn = 0; // the end of the commit record: where a restart may resume
    std::int64_t commitTimeUnixMicros = 0;

    friend bool operator==(const Commit &, const Commit &) = default;
};

struct RelationColumn
{
    std::uint8_t flags = 0; // 1: part of the replica identity key
    std::string name;
    std::uint32_t typeOid = 0;
    std::int32_t typeModifier = -1;

    bool isKey() const { return (flags & 1U) != 0; }
    friend bool operator==(const RelationColumn &, const RelationColumn &) = default;
};

enum class ReplicaIdentity : char
{
    Default = 'd', // the primary key
    Nothing = 'n',
    Full = 'f',
    Index = 'i', // a chosen unique index
};

// 'R': a table's shape, sent before its first change in a session and again after it changes.
// Changes name the table by `oid` and list values in `columns` order.
struct Relation
{
    std::uint32_t oid = 0;
    std::string schema; // empty for pg_catalog
    std::string name;
    ReplicaIdentity replicaIdentity = ReplicaIdentity::Default;
    std::vector<RelationColumn> columns;

    friend bool operator==(const Relation &, const Relation &) = default;
};

// 'I'
struct Insert
{
    std::uint32_t relationOid = 0;
    Tuple newTuple;

    friend bool operator==(const Insert &, const Insert &) = default;
};

// 'U'
struct Update
{
    std::uint32_t relationOid = 0;
    OldTuple oldKind = OldTuple::None;
    Tuple oldTuple; // empty when oldKind is None
    Tuple newTuple;

    friend bool operator==(const Update &, const Update &) = default;
};

// 'D'
struct Delete
{
    std::uint32_t relationOid = 0;
    OldTuple oldKind = OldTuple::Key; // Key or Full
    Tuple oldTuple;

    friend bool operator==(const Delete &, const Delete &) = default;
};

// 'T'
struct Truncate
{
    std::uint8_t options = 0; // 1: CASCADE, 2: RESTART IDENTITY (bits)
    std::vector<std::uint32_t> relationOids;

    bool cascade() const { return (options & 1U) != 0; }
    bool restartIdentity() const { return (options & 2U) != 0; }
    friend bool operator==(const Truncate &, const Truncate &) = default;
};

// 'M': pg_logical_emit_message().
struct LogicalMessage
{
    std::uint8_t flags = 0; // 1: transactional
    std::uint64_t lsn = 0;
    std::string prefix;
    std::string content;

    bool transactional() const { return (flags & 1U) != 0; }
    friend bool operator==(const LogicalMessage &, const LogicalMessage &) = default;
};

// 'O' (origin) and 'Y' (type): nothing we use; only the type byte is kept.
struct Ignored
{
    char type = 0;

    friend bool operator==(const Ignored &, const Ignored &) = default;
};

using Message = std::variant<Begin, Commit, Relation, Insert, Update, Delete, Truncate,
                             LogicalMessage, Ignored>;

// One whole message: bytes left over after it are an error too.
Result<Message> decodeMessage(std::string_view bytes);

} // namespace weir::connectors::postgres::pgoutput
