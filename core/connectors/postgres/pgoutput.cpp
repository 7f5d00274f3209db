#include "connectors/postgres/pgoutput.h"

#include <QString>
#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace weir::connectors::postgres::pgoutput {
namespace {

constexpr std::int64_t kPgEpochOffsetMicros = 946684800LL * 1000000LL;

// The type byte as it reads best in a message: 'U', or 0x05 when it is not printable.
QString describeByte(char byte)
{
    const auto code = static_cast<unsigned char>(byte);
    if (code >= 0x20 && code < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(byte));
    return QStringLiteral("0x%1").arg(static_cast<unsigned>(code), 2, 16, QLatin1Char('0'));
}

// Reads big-endian fields from one message. The first failure sticks: later reads return zero
// or empty values without moving, so a decoder checks once, at the end or before a loop step.
class Reader final
{
public:
    // `context` names the message in errors ("pgoutput 'U' message"); reading starts after the
    // type byte.
    Reader(std::string_view bytes, QString context)
        : m_bytes(bytes), m_offset(1), m_context(std::move(context))
    {
    }

    bool failed() const { return m_failed; }
    std::size_t offset() const { return m_offset; }
    std::size_t remaining() const { return m_bytes.size() - m_offset; }
    std::string_view rest() const { return m_bytes.substr(m_offset); }

    std::uint8_t u8() { return static_cast<std::uint8_t>(readBigEndian(1)); }
    std::int16_t i16() { return static_cast<std::int16_t>(readBigEndian(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(readBigEndian(4)); }
    std::int32_t i32() { return static_cast<std::int32_t>(readBigEndian(4)); }
    std::uint64_t u64() { return readBigEndian(8); }
    std::int64_t i64() { return static_cast<std::int64_t>(readBigEndian(8)); }
    char tag() { return static_cast<char>(readBigEndian(1)); }

    // A NUL-terminated string.
    std::string string()
    {
        if (m_failed)
            return {};
        const std::size_t end = m_bytes.find('\0', m_offset);
        if (end == std::string_view::npos) {
            fail(m_offset, QStringLiteral("truncated"));
            return {};
        }
        std::string text(m_bytes.substr(m_offset, end - m_offset));
        m_offset = end + 1;
        return text;
    }

    // Int32 length, then that many bytes.
    std::string lengthPrefixedBytes()
    {
        const std::size_t lengthAt = m_offset;
        const std::int32_t length = i32();
        if (m_failed)
            return {};
        if (length < 0) {
            fail(lengthAt, QStringLiteral("negative length %1").arg(length));
            return {};
        }
        const auto size = static_cast<std::size_t>(length);
        if (size > remaining()) {
            fail(m_offset, QStringLiteral("truncated"));
            return {};
        }
        std::string bytes(m_bytes.substr(m_offset, size));
        m_offset += size;
        return bytes;
    }

    // Only the first failure is reported: it is where the message stopped making sense.
    void fail(std::size_t at, const QString &reason)
    {
        if (m_failed)
            return;
        m_failed = true;
        m_failedAt = at;
        m_reason = reason;
    }

    void expectEnd()
    {
        if (!m_failed && m_offset != m_bytes.size())
            fail(m_offset, remaining() == 1
                               ? QStringLiteral("1 unexpected trailing byte")
                               : QStringLiteral("%1 unexpected trailing bytes").arg(remaining()));
    }

    Error error() const
    {
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("%1: %2 at byte %3").arg(m_context, m_reason).arg(m_failedAt));
    }

private:
    std::uint64_t readBigEndian(std::size_t width)
    {
        if (m_failed)
            return 0;
        if (remaining() < width) {
            fail(m_offset, QStringLiteral("truncated"));
            return 0;
        }
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i)
            value = (value << 8U) | static_cast<unsigned char>(m_bytes[m_offset + i]);
        m_offset += width;
        return value;
    }

    std::string_view m_bytes;
    std::size_t m_offset;
    QString m_context;
    bool m_failed = false;
    std::size_t m_failedAt = 0;
    QString m_reason;
};

QString messageContext(const char *stream, char type)
{
    return QStringLiteral("%1 %2 message").arg(QLatin1String(stream), describeByte(type));
}

void appendBigEndian(std::string &out, std::uint64_t value, std::size_t width)
{
    for (std::size_t i = width; i > 0; --i)
        out.push_back(static_cast<char>((value >> ((i - 1) * 8)) & 0xffU));
}

// A tag byte that must be one of `allowed`; otherwise the reader fails at it.
char expectTag(Reader &reader, std::string_view allowed, const char *what)
{
    const std::size_t at = reader.offset();
    const char tag = reader.tag();
    if (reader.failed())
        return tag;
    if (allowed.find(tag) == std::string_view::npos)
        reader.fail(at, QStringLiteral("%1 %2").arg(QLatin1String(what), describeByte(tag)));
    return tag;
}

// ---- pgoutput message bodies (after the type byte) ----

Tuple readTuple(Reader &reader)
{
    const std::size_t countAt = reader.offset();
    const std::int16_t count = reader.i16();
    if (count < 0)
        reader.fail(countAt, QStringLiteral("negative column count %1").arg(count));
    Tuple tuple;
    if (reader.failed())
        return tuple;
    // Each column takes at least its kind byte: a bogus count cannot make us allocate much.
    tuple.reserve(std::min(static_cast<std::size_t>(count), reader.remaining()));
    for (std::int16_t i = 0; i < count && !reader.failed(); ++i) {
        TupleValue value;
        value.kind =
            static_cast<TupleValue::Kind>(expectTag(reader, "nutb", "unknown column kind"));
        if (value.kind == TupleValue::Kind::Text || value.kind == TupleValue::Kind::Binary)
            value.bytes = reader.lengthPrefixedBytes();
        tuple.push_back(std::move(value));
    }
    return tuple;
}

Begin readBegin(Reader &reader)
{
    Begin begin;
    begin.finalLsn = reader.u64();
    begin.commitTimeUnixMicros = unixMicrosFromPg(reader.i64());
    begin.xid = reader.u32();
    return begin;
}

Commit readCommit(Reader &reader)
{
    Commit commit;
    commit.flags = reader.u8();
    commit.commitLsn = reader.u64();
    commit.endLsn = reader.u64();
    commit.commitTimeUnixMicros = unixMicrosFromPg(reader.i64());
    return commit;
}

Relation readRelation(Reader &reader)
{
    Relation relation;
    relation.oid = reader.u32();
    relation.schema = reader.string();
    relation.name = reader.string();
    relation.replicaIdentity =
        static_cast<ReplicaIdentity>(expectTag(reader, "dnfi", "unknown replica identity"));
    const std::size_t countAt = reader.offset();
    const std::int16_t count = reader.i16();
    if (count < 0)
        reader.fail(countAt, QStringLiteral("negative column count %1").arg(count));
    if (reader.failed())
        return relation;
    // A column takes at least 10 bytes (flags, empty name, type oid, modifier).
    relation.columns.reserve(std::min(static_cast<std::size_t>(count), reader.remaining() / 10));
    for (std::int16_t i = 0; i < count && !reader.failed(); ++i) {
        RelationColumn column;
        column.flags = reader.u8();
        column.name = reader.string();
        column.typeOid = reader.u32();
        column.typeModifier = reader.i32();
        relation.columns.push_back(std::move(column));
    }
    return relation;
}

Insert readInsert(Reader &reader)
{
    Insert insert;
    insert.relationOid = reader.u32();
    expectTag(reader, "N", "expected 'N', found");
    insert.newTuple = readTuple(reader);
    return insert;
}

Update readUpdate(Reader &reader)
{
    Update update;
    update.relationOid = reader.u32();
    const char tag = expectTag(reader, "KON", "expected 'K', 'O' or 'N', found");
    if (tag == 'K' || tag == 'O') {
        update.oldKind = static_cast<OldTuple>(tag);
        update.oldTuple = readTuple(reader);
        expectTag(reader, "N", "expected 'N', found");
    }
    update.newTuple = readTuple(reader);
    return update;
}

Delete readDelete(Reader &reader)
{
    Delete deletion;
    deletion.relationOid = reader.u32();
    deletion.oldKind = static_cast<OldTuple>(expectTag(reader, "KO", "expected 'K' or 'O', found"));
    deletion.oldTuple = readTuple(reader);
    return deletion;
}

Truncate readTruncate(Reader &reader)
{
    Truncate truncate;
    const std::size_t countAt = reader.offset();
    const std::int32_t count = reader.i32();
    truncate.options = reader.u8();
    if (count < 0)
        reader.fail(countAt, QStringLiteral("negative relation count %1").arg(count));
    if (reader.failed())
        return truncate;
    truncate.relationOids.reserve(
        std::min(static_cast<std::size_t>(count), reader.remaining() / 4));
    for (std::int32_t i = 0; i < count && !reader.failed(); ++i)
        truncate.relationOids.push_back(reader.u32());
    return truncate;
}

LogicalMessage readLogicalMessage(Reader &reader)
{
    LogicalMessage message;
    message.flags = reader.u8();
    message.lsn = reader.u64();
    message.prefix = reader.string();
    message.content = reader.lengthPrefixedBytes();
    return message;
}

template<typename T> Result<Message> finish(Reader &reader, T &&message)
{
    reader.expectEnd();
    if (reader.failed())
        return reader.error();
    return Message{std::forward<T>(message)};
}

} // namespace

std::int64_t unixMicrosFromPg(std::int64_t pgMicros)
{
    if (pgMicros > std::numeric_limits<std::int64_t>::max() - kPgEpochOffsetMicros)
        return std::numeric_limits<std::int64_t>::max();
    return pgMicros + kPgEpochOffsetMicros;
}

std::int64_t pgMicrosFromUnix(std::int64_t unixMicros)
{
    if (unixMicros < std::numeric_limits<std::int64_t>::min() + kPgEpochOffsetMicros)
        return std::numeric_limits<std::int64_t>::min();
    return unixMicros - kPgEpochOffsetMicros;
}

std::string formatLsn(std::uint64_t lsn)
{
    std::array<char, 17> buffer{}; // "FFFFFFFF/FFFFFFFF"
    char *end = buffer.data() + buffer.size();
    char *cursor = std::to_chars(buffer.data(), end, lsn >> 32U, 16).ptr;
    *cursor++ = '/';
    cursor = std::to_chars(cursor, end, lsn & 0xffffffffU, 16).ptr;
    std::string text(buffer.data(), cursor);
    for (char &c : text) {
        if (c >= 'a' && c <= 'f')
            c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
}

std::optional<std::uint64_t> parseLsn(std::string_view text)
{
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    const auto half = [](std::string_view digits) -> std::optional<std::uint64_t> {
        if (digits.empty() || digits.size() > 8)
            return std::nullopt;
        std::uint64_t value = 0;
        const char *end = digits.data() + digits.size();
        const auto [ptr, ec] = std::from_chars(digits.data(), end, value, 16);
        if (ec != std::errc{} || ptr != end)
            return std::nullopt;
        return value;
    };
    const auto high = half(text.substr(0, slash));
    const auto low = half(text.substr(slash + 1));
    if (!high || !low)
        return std::nullopt;
    return (*high << 32U) | *low;
}

Result<CopyMessage> decodeCopyMessage(std::string_view bytes)
{
    if (bytes.empty())
        return makeError(ErrorCode::Invalid, QStringLiteral("replication message: empty"));
    const char type = bytes.front();
    Reader reader(bytes, messageContext("replication", type));
    if (type == 'w') {
        XLogData data;
        data.start = reader.u64();
        data.walEnd = reader.u64();
        data.sendTimeUnixMicros = unixMicrosFromPg(reader.i64());
        if (reader.failed())
            return reader.error();
        data.payload = reader.rest();
        return CopyMessage{data};
    }
    if (type == 'k') {
        Keepalive keepalive;
        keepalive.walEnd = reader.u64();
        keepalive.sendTimeUnixMicros = unixMicrosFromPg(reader.i64());
        keepalive.replyRequested = reader.u8() != 0;
        reader.expectEnd();
        if (reader.failed())
            return reader.error();
        return CopyMessage{keepalive};
    }
    return makeError(
        ErrorCode::Invalid,
        QStringLiteral("replication stream: unknown message type %1").arg(describeByte(type)));
}

std::string encodeStandbyStatus(std::uint64_t written, std::uint64_t flushed, std::uint64_t applied,
                                std::int64_t clockMicrosSince2000)
{
    std::string out;
    out.reserve(34);
    out.push_back('r');
    appendBigEndian(out, written, 8);
    appendBigEndian(out, flushed, 8);
    appendBigEndian(out, applied, 8);
    appendBigEndian(out, static_cast<std::uint64_t>(clockMicrosSince2000), 8);
    out.push_back('\0'); // no reply requested
    return out;
}

Result<Message> decodeMessage(std::string_view bytes)
{
    if (bytes.empty())
        return makeError(ErrorCode::Invalid, QStringLiteral("pgoutput message: empty"));
    const char type = bytes.front();
    Reader reader(bytes, messageContext("pgoutput", type));
    switch (type) {
    case 'B':
        return finish(reader, readBegin(reader));
    case 'C':
        return finish(reader, readCommit(reader));
    case 'R':
        return finish(reader, readRelation(reader));
    case 'I':
        return finish(reader, readInsert(reader));
    case 'U':
        return finish(reader, readUpdate(reader));
    case 'D':
        return finish(reader, readDelete(reader));
    case 'T':
        return finish(reader, readTruncate(reader));
    case 'M':
        return finish(reader, readLogicalMessage(reader));
    case 'O':
    case 'Y':
        return Message{Ignored{type}};
    default:
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("pgoutput: unknown message type %1").arg(describeByte(type)));
    }
}

} // namespace weir::connectors::postgres::pgoutput
