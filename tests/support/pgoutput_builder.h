#pragma once

// Encoders for the pgoutput decoder's tests: the bytes PostgreSQL would send for each message
// and for the replication COPY framing, written field by field and independently of the
// decoder's reader, so that a round trip checks the layout rather than one routine twice.

#include "connectors/postgres/pgoutput.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace weir::test::pgoutput {

namespace pg = weir::connectors::postgres::pgoutput;

// Appends big-endian integers, NUL-terminated strings and raw bytes.
class Bytes
{
public:
    Bytes &byte(char value)
    {
        m_out.push_back(value);
        return *this;
    }
    Bytes &u8(std::uint8_t value) { return byte(static_cast<char>(value)); }
    Bytes &i16(std::int16_t value) { return bigEndian(static_cast<std::uint16_t>(value), 2); }
    Bytes &u32(std::uint32_t value) { return bigEndian(value, 4); }
    Bytes &i32(std::int32_t value) { return bigEndian(static_cast<std::uint32_t>(value), 4); }
    Bytes &u64(std::uint64_t value) { return bigEndian(value, 8); }
    Bytes &i64(std::int64_t value) { return bigEndian(static_cast<std::uint64_t>(value), 8); }
    Bytes &string(std::string_view text)
    {
        m_out.append(text);
        m_out.push_back('\0');
        return *this;
    }
    Bytes &raw(std::string_view bytes)
    {
        m_out.append(bytes);
        return *this;
    }
    std::string str() const { return m_out; }

private:
    Bytes &bigEndian(std::uint64_t value, int width)
    {
        for (int shift = (width - 1) * 8; shift >= 0; shift -= 8)
            m_out.push_back(static_cast<char>((value >> shift) & 0xff));
        return *this;
    }

    std::string m_out;
};

inline void appendTuple(Bytes &out, const pg::Tuple &tuple)
{
    out.i16(static_cast<std::int16_t>(tuple.size()));
    for (const pg::TupleValue &value : tuple) {
        out.byte(static_cast<char>(value.kind));
        if (value.kind == pg::TupleValue::Kind::Text || value.kind == pg::TupleValue::Kind::Binary)
            out.i32(static_cast<std::int32_t>(value.bytes.size())).raw(value.bytes);
    }
}

inline std::string encode(const pg::Begin &m)
{
    return Bytes()
        .byte('B')
        .u64(m.finalLsn)
        .i64(pg::pgMicrosFromUnix(m.commitTimeUnixMicros))
        .u32(m.xid)
        .str();
}

inline std::string encode(const pg::Commit &m)
{
    return Bytes()
        .byte('C')
        .u8(m.flags)
        .u64(m.commitLsn)
        .u64(m.endLsn)
        .i64(pg::pgMicrosFromUnix(m.commitTimeUnixMicros))
        .str();
}

inline std::string encode(const pg::Relation &m)
{
    Bytes out;
    out.byte('R').u32(m.oid).string(m.schema).string(m.name);
    out.byte(static_cast<char>(m.replicaIdentity)).i16(static_cast<std::int16_t>(m.columns.size()));
    for (const pg::RelationColumn &column : m.columns)
        out.u8(column.flags).string(column.name).u32(column.typeOid).i32(column.typeModifier);
    return out.str();
}

inline std::string encode(const pg::Insert &m)
{
    Bytes out;
    out.byte('I').u32(m.relationOid).byte('N');
    appendTuple(out, m.newTuple);
    return out.str();
}

inline std::string encode(const pg::Update &m)
{
    Bytes out;
    out.byte('U').u32(m.relationOid);
    if (m.oldKind != pg::OldTuple::None) {
        out.byte(static_cast<char>(m.oldKind));
        appendTuple(out, m.oldTuple);
    }
    out.byte('N');
    appendTuple(out, m.newTuple);
    return out.str();
}

inline std::string encode(const pg::Delete &m)
{
    Bytes out;
    out.byte('D').u32(m.relationOid).byte(static_cast<char>(m.oldKind));
    appendTuple(out, m.oldTuple);
    return out.str();
}

inline std::string encode(const pg::Truncate &m)
{
    Bytes out;
    out.byte('T').i32(static_cast<std::int32_t>(m.relationOids.size())).u8(m.options);
    for (std::uint32_t oid : m.relationOids)
        out.u32(oid);
    return out.str();
}

inline std::string encode(const pg::LogicalMessage &m)
{
    return Bytes()
        .byte('M')
        .u8(m.flags)
        .u64(m.lsn)
        .string(m.prefix)
        .i32(static_cast<std::int32_t>(m.content.size()))
        .raw(m.content)
        .str();
}

// Only the type byte: the decoder keeps nothing else of an origin or type message.
inline std::string encode(const pg::Ignored &m)
{
    return Bytes().byte(m.type).str();
}

inline std::string encode(const pg::Message &message)
{
    return std::visit([](const auto &m) { return encode(m); }, message);
}

inline std::string encodeXLogData(std::uint64_t start, std::uint64_t walEnd,
                                  std::int64_t sendTimeUnixMicros, std::string_view payload)
{
    return Bytes()
        .byte('w')
        .u64(start)
        .u64(walEnd)
        .i64(pg::pgMicrosFromUnix(sendTimeUnixMicros))
        .raw(payload)
        .str();
}

inline std::string encodeKeepalive(const pg::Keepalive &k)
{
    return Bytes()
        .byte('k')
        .u64(k.walEnd)
        .i64(pg::pgMicrosFromUnix(k.sendTimeUnixMicros))
        .u8(k.replyRequested ? 1 : 0)
        .str();
}

} // namespace weir::test::pgoutput
