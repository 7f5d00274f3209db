#include "connectors/postgres/cdc_position.h"
#include "connectors/postgres/pgoutput.h"
#include "support/pgoutput_builder.h"

#include <QRegularExpression>
#include <QTest>
#include <limits>
#include <random>

namespace pg = weir::connectors::postgres::pgoutput;
using weir::test::pgoutput::Bytes;
using weir::test::pgoutput::encode;

Q_DECLARE_METATYPE(pg::Message)

namespace {

using Kind = pg::TupleValue::Kind;

constexpr std::uint32_t kOrdersOid = 16385;
constexpr std::uint32_t kCustomersOid = 16392;
constexpr std::uint64_t kCommitLsn = 0x16B374D848ULL;
// 2024-01-01T00:00:00.123456Z
constexpr std::int64_t kCommitUnixMicros = 1704067200123456LL;
constexpr std::int64_t kCommitPgMicros = kCommitUnixMicros - 946684800000000LL;

pg::TupleValue text(std::string bytes)
{
    return {Kind::Text, std::move(bytes)};
}
pg::TupleValue binary(std::string bytes)
{
    return {Kind::Binary, std::move(bytes)};
}
pg::TupleValue null()
{
    return {Kind::Null, {}};
}
pg::TupleValue unchanged()
{
    return {Kind::Unchanged, {}};
}

QByteArray qbytes(const std::string &bytes)
{
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

std::string hexBytes(const char *hex)
{
    return QByteArray::fromHex(hex).toStdString();
}

// QVERIFY2 evaluates its message even when the check passes.
template<typename T> QByteArray why(const weir::Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

QString errorOf(std::string_view bytes)
{
    const auto decoded = pg::decodeMessage(bytes);
    if (decoded.ok())
        return QStringLiteral("<decoded>");
    if (decoded.error().code != weir::ErrorCode::Invalid)
        return QStringLiteral("<not Invalid>");
    return decoded.error().message;
}

// The messages of one realistic transaction on public.orders (id bigint key, customer text,
// amount numeric(12,2)), and the rest of the protocol around it.
QList<QPair<const char *, pg::Message>> sampleMessages()
{
    pg::Relation relation;
    relation.oid = kOrdersOid;
    relation.schema = "public";
    relation.name = "orders";
    relation.replicaIdentity = pg::ReplicaIdentity::Default;
    relation.columns = {{1, "id", 20, -1}, {0, "customer", 25, -1}, {0, "amount", 1700, 786438}};

    pg::Update withoutOld{kOrdersOid, pg::OldTuple::None, {}, {text("42"), unchanged(), null()}};
    pg::Update withKey{kOrdersOid,
                       pg::OldTuple::Key,
                       {text("41"), null(), null()},
                       {text("42"), text("Zoë"), text("19.90")}};
    pg::Update withFull{kOrdersOid,
                        pg::OldTuple::Full,
                        {text("42"), text("Zoë"), text("19.90")},
                        {text("42"), unchanged(), null()}};

    pg::LogicalMessage logical{1, kCommitLsn, "weir", std::string("{\"checkpoint\":7}\0z", 18)};
    pg::LogicalMessage nonTransactional{0, kCommitLsn + 8, "weir.heartbeat", {}};

    return {
        {"begin", pg::Begin{kCommitLsn, kCommitUnixMicros, 7423}},
        {"commit", pg::Commit{0, kCommitLsn, kCommitLsn + 0x30, kCommitUnixMicros}},
        {"relation", relation},
        {"relation in pg_catalog, replica identity full",
         pg::Relation{1259, "", "pg_class", pg::ReplicaIdentity::Full, {{0, "oid", 26, -1}}}},
        {"relation without columns",
         pg::Relation{kCustomersOid, "sales", "empty", pg::ReplicaIdentity::Nothing, {}}},
        {"insert",
         pg::Insert{kOrdersOid, {text("42"), text("Zoë"), binary(std::string("\x00\xff\x10", 3))}}},
        {"insert of empty and null values", pg::Insert{kOrdersOid, {text(""), null(), null()}}},
        {"update without old tuple", withoutOld},
        {"update with old key", withKey},
        {"update with old row", withFull},
        {"delete with old key",
         pg::Delete{kOrdersOid, pg::OldTuple::Key, {text("42"), null(), null()}}},
        {"delete with old row",
         pg::Delete{kOrdersOid, pg::OldTuple::Full, {text("42"), text("Zoë"), text("19.90")}}},
        {"truncate cascade", pg::Truncate{1, {kOrdersOid, kCustomersOid}}},
        {"truncate restart identity", pg::Truncate{2, {kOrdersOid}}},
        {"logical message", logical},
        {"non-transactional empty message", nonTransactional},
        {"origin (ignored)", pg::Ignored{'O'}},
    };
}

} // namespace

class TestPgOutput : public QObject
{
    Q_OBJECT

private slots:
    void roundTrips_data()
    {
        QTest::addColumn<pg::Message>("message");
        for (const auto &[name, message] : sampleMessages())
            QTest::newRow(name) << message;
    }

    void roundTrips()
    {
        QFETCH(pg::Message, message);
        const std::string bytes = encode(message);
        const auto decoded = pg::decodeMessage(bytes);
        QVERIFY2(decoded.ok(), why(decoded).constData());
        QCOMPARE(decoded->index(), message.index());
        QVERIFY(decoded.value() == message);
    }

    // Every shorter buffer is cut inside a field: an Invalid error that says so, no crash.
    void everyPrefixIsAnError_data() { roundTrips_data(); }

    void everyPrefixIsAnError()
    {
        QFETCH(pg::Message, message);
        const std::string bytes = encode(message);
        QCOMPARE(errorOf(std::string_view(bytes).substr(0, 0)),
                 QStringLiteral("pgoutput message: empty"));
        const QRegularExpression truncated(
            QStringLiteral("^pgoutput '%1' message: truncated at byte (\\d+)$").arg(bytes[0]));
        for (std::size_t length = 1; length < bytes.size(); ++length) {
            // A copy of the prefix, so that reading past it would be a read past the buffer.
            const std::string prefix = bytes.substr(0, length);
            const QString error = errorOf(prefix);
            const auto match = truncated.match(error);
            QVERIFY2(match.hasMatch(),
                     qPrintable(QStringLiteral("length %1: %2").arg(length).arg(error)));
            QVERIFY(match.captured(1).toULongLong() <= length);
        }
    }

    // A byte more than the message holds means the stream is out of step.
    void trailingBytesAreAnError_data() { roundTrips_data(); }

    void trailingBytesAreAnError()
    {
        QFETCH(pg::Message, message);
        const std::string bytes = encode(message) + '\0';
        if (std::holds_alternative<pg::Ignored>(message)) { // its body is never read
            QVERIFY(pg::decodeMessage(bytes).ok());
            return;
        }
        QCOMPARE(errorOf(bytes),
                 QStringLiteral("pgoutput '%1' message: 1 unexpected trailing byte at byte %2")
                     .arg(bytes[0])
                     .arg(bytes.size() - 1));
        QCOMPARE(errorOf(bytes + "xy"),
                 QStringLiteral("pgoutput '%1' message: 3 unexpected trailing bytes at byte %2")
                     .arg(bytes[0])
                     .arg(bytes.size() - 1));
    }

    // Hand-written bytes, so a decoder and encoder sharing a mistake (byte order) cannot pass.
    void decodesKnownBytes()
    {
        const std::string begin = "B" + hexBytes("00000016B374D848"
                                                 "0002B0D5D4EB2240"
                                                 "00001CFF");
        QCOMPARE(kCommitPgMicros, 0x0002B0D5D4EB2240LL);
        const auto decoded = pg::decodeMessage(begin);
        QVERIFY2(decoded.ok(), why(decoded).constData());
        const auto &b = std::get<pg::Begin>(decoded.value());
        QCOMPARE(b.finalLsn, std::uint64_t(0x16B374D848));
        QCOMPARE(b.commitTimeUnixMicros, kCommitUnixMicros);
        QCOMPARE(b.xid, std::uint32_t(7423));

        const std::string insert = "I" + hexBytes("00004001") + "N" + hexBytes("0003") + "t" +
                                   hexBytes("00000002") + "42" + "n" + "u";
        const auto decodedInsert = pg::decodeMessage(insert);
        QVERIFY2(decodedInsert.ok(), why(decodedInsert).constData());
        QVERIFY(std::get<pg::Insert>(decodedInsert.value()) ==
                (pg::Insert{kOrdersOid, {text("42"), null(), unchanged()}}));

        const std::string relation = "R" + hexBytes("00004001") +
                                     std::string("public\0orders\0", 14) + "d" + hexBytes("0002") +
                                     hexBytes("01") + std::string("id\0", 3) +
                                     hexBytes("00000014FFFFFFFF") + hexBytes("00") +
                                     std::string("amount\0", 7) + hexBytes("000006A4000C0006");
        const auto decodedRelation = pg::decodeMessage(relation);
        QVERIFY2(decodedRelation.ok(), why(decodedRelation).constData());
        const auto &r = std::get<pg::Relation>(decodedRelation.value());
        QCOMPARE(r.columns.size(), std::size_t(2));
        QVERIFY(r.columns[0].isKey());
        QVERIFY(!r.columns[1].isKey());
        QCOMPARE(r.columns[0].typeOid, 20U);
        QCOMPARE(r.columns[0].typeModifier, -1);
        QCOMPARE(r.columns[1].typeOid, 1700U);
        QCOMPARE(r.columns[1].typeModifier, 786438);
    }

    void flagAccessors()
    {
        QVERIFY((pg::Truncate{1, {}}).cascade());
        QVERIFY(!(pg::Truncate{1, {}}).restartIdentity());
        QVERIFY((pg::Truncate{3, {}}).restartIdentity());
        QVERIFY(!(pg::Truncate{2, {}}).cascade());
        QVERIFY((pg::LogicalMessage{1, 0, {}, {}}).transactional());
        QVERIFY(!(pg::LogicalMessage{0, 0, {}, {}}).transactional());
    }

    // Origin and type messages are skipped whatever follows the type byte.
    void ignoresOriginAndType()
    {
        const std::string origin = Bytes().byte('O').u64(kCommitLsn).string("node_a").str();
        const auto decodedOrigin = pg::decodeMessage(origin);
        QVERIFY(decodedOrigin.ok());
        QCOMPARE(std::get<pg::Ignored>(decodedOrigin.value()).type, 'O');

        const std::string type = Bytes().byte('Y').u32(16400).string("public").string("mood").str();
        const auto decodedType = pg::decodeMessage(type);
        QVERIFY(decodedType.ok());
        QCOMPARE(std::get<pg::Ignored>(decodedType.value()).type, 'Y');
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const std::string &bytes, const char *error) {
            QTest::newRow(name) << qbytes(bytes) << QString::fromUtf8(error);
        };
        row("unknown type", "Z", "pgoutput: unknown message type 'Z'");
        row("unknown type, unprintable", std::string("\x05\x00\x00", 3),
            "pgoutput: unknown message type 0x05");
        row("stream start is not protocol 1", Bytes().byte('S').u32(7423).u8(1).str(),
            "pgoutput: unknown message type 'S'");
        row("lower-case type", "b", "pgoutput: unknown message type 'b'");
        row("insert without 'N'", Bytes().byte('I').u32(kOrdersOid).byte('K').i16(0).str(),
            "pgoutput 'I' message: expected 'N', found 'K' at byte 5");
        row("unknown column kind",
            Bytes().byte('I').u32(kOrdersOid).byte('N').i16(2).byte('n').byte('x').str(),
            "pgoutput 'I' message: unknown column kind 'x' at byte 9");
        row("negative value length",
            Bytes().byte('I').u32(kOrdersOid).byte('N').i16(1).byte('t').i32(-1).str(),
            "pgoutput 'I' message: negative length -1 at byte 9");
        row("value longer than the message",
            Bytes().byte('I').u32(kOrdersOid).byte('N').i16(1).byte('b').i32(10).raw("abc").str(),
            "pgoutput 'I' message: truncated at byte 13");
        row("negative column count", Bytes().byte('I').u32(kOrdersOid).byte('N').i16(-1).str(),
            "pgoutput 'I' message: negative column count -1 at byte 6");
        row("update with unknown old tuple",
            Bytes().byte('U').u32(kOrdersOid).byte('X').i16(0).str(),
            "pgoutput 'U' message: expected 'K', 'O' or 'N', found 'X' at byte 5");
        row("update with two old tuples",
            Bytes().byte('U').u32(kOrdersOid).byte('K').i16(0).byte('O').i16(0).str(),
            "pgoutput 'U' message: expected 'N', found 'O' at byte 8");
        row("update cut after old tuple",
            Bytes().byte('U').u32(kOrdersOid).byte('O').i16(1).byte('t').i32(2).raw("42").str(),
            "pgoutput 'U' message: truncated at byte 15");
        row("delete with new tuple", Bytes().byte('D').u32(kOrdersOid).byte('N').i16(0).str(),
            "pgoutput 'D' message: expected 'K' or 'O', found 'N' at byte 5");
        row("unknown replica identity",
            Bytes()
                .byte('R')
                .u32(kOrdersOid)
                .string("public")
                .string("orders")
                .byte('z')
                .i16(0)
                .str(),
            "pgoutput 'R' message: unknown replica identity 'z' at byte 19");
        row("unterminated relation name",
            Bytes().byte('R').u32(kOrdersOid).string("public").raw("orders").str(),
            "pgoutput 'R' message: truncated at byte 12");
        row("negative relation column count",
            Bytes().byte('R').u32(kOrdersOid).string("").string("t").byte('d').i16(-5).str(),
            "pgoutput 'R' message: negative column count -5 at byte 9");
        row("truncate of 2^31-1 relations", Bytes().byte('T').i32(0x7fffffff).u8(0).u32(1).str(),
            "pgoutput 'T' message: truncated at byte 10");
        row("negative truncate count", Bytes().byte('T').i32(-2).u8(0).str(),
            "pgoutput 'T' message: negative relation count -2 at byte 1");
        row("message content past the end",
            Bytes().byte('M').u8(1).u64(kCommitLsn).string("weir").i32(100).raw("{}").str(),
            "pgoutput 'M' message: truncated at byte 19");
        row("message with negative length",
            Bytes().byte('M').u8(1).u64(kCommitLsn).string("weir").i32(-3).str(),
            "pgoutput 'M' message: negative length -3 at byte 15");
        row("begin cut in the xid", "B" + hexBytes("00000016B374D8480002B0D5D4EB224000"),
            "pgoutput 'B' message: truncated at byte 17");
    }

    void rejectsMalformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QCOMPARE(errorOf(std::string_view(bytes.constData(), bytes.size())), error);
    }

    // Corrupted bytes anywhere in valid messages, and random buffers: every outcome is a value
    // or an error. Each mutated buffer is its own allocation, so tools like ASan see overreads.
    void survivesCorruption()
    {
        int errors = 0;
        int decoded = 0;
        for (const auto &[name, message] : sampleMessages()) {
            const std::string bytes = encode(message);
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                for (const int value : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
                    std::string corrupt = bytes;
                    corrupt[i] = static_cast<char>(value);
                    (pg::decodeMessage(corrupt).ok() ? decoded : errors)++;
                }
            }
        }
        std::mt19937 random(20240101);
        const std::string types = "BCRIUDTMOYkw";
        for (int n = 0; n < 20000; ++n) {
            std::string bytes(1 + random() % 40, '\0');
            for (char &c : bytes)
                c = static_cast<char>(random() % 256);
            bytes[0] = types[random() % types.size()];
            (pg::decodeMessage(bytes).ok() ? decoded : errors)++;
            (pg::decodeCopyMessage(bytes).ok() ? decoded : errors)++;
        }
        QVERIFY(errors > 0);
        QVERIFY(decoded > 0);
    }

    void decodesXLogData()
    {
        const std::string payload =
            encode(pg::Message{pg::Begin{kCommitLsn, kCommitUnixMicros, 7423}});
        const std::string bytes = "w" +
                                  hexBytes("00000016B374D800"
                                           "00000016B374E000"
                                           "0002B0D5D4EB2240") +
                                  payload;
        const auto frame = pg::decodeCopyMessage(bytes);
        QVERIFY2(frame.ok(), why(frame).constData());
        const auto &data = std::get<pg::XLogData>(frame.value());
        QCOMPARE(data.start, std::uint64_t(0x16B374D800));
        QCOMPARE(data.walEnd, std::uint64_t(0x16B374E000));
        QCOMPARE(data.sendTimeUnixMicros, kCommitUnixMicros);
        QCOMPARE(data.payload, std::string_view(payload));
        QVERIFY(data.payload.data() == bytes.data() + 25); // a view into the buffer, not a copy

        const auto message = pg::decodeMessage(data.payload);
        QVERIFY(message.ok());
        QCOMPARE(std::get<pg::Begin>(message.value()).xid, std::uint32_t(7423));

        // Framing alone: an empty payload is a frame, decodeMessage then says it is empty.
        const std::string empty = weir::test::pgoutput::encodeXLogData(1, 2, 0, {});
        QCOMPARE(empty.size(), std::size_t(25));
        const auto emptyFrame = pg::decodeCopyMessage(empty);
        QVERIFY(emptyFrame.ok());
        QVERIFY(std::get<pg::XLogData>(emptyFrame.value()).payload.empty());
        QCOMPARE(std::get<pg::XLogData>(emptyFrame.value()), (pg::XLogData{1, 2, 0, {}}));

        for (std::size_t length = 1; length < 25; ++length) {
            const std::string prefix = bytes.substr(0, length);
            const auto cut = pg::decodeCopyMessage(prefix);
            QVERIFY(!cut.ok());
            QVERIFY2(cut.error().message.startsWith(
                         QStringLiteral("replication 'w' message: truncated at byte ")),
                     why(cut).constData());
        }
    }

    void decodesKeepalive()
    {
        const std::string bytes = "k" + hexBytes("00000016B374E000"
                                                 "0002B0D5D4EB2240"
                                                 "01");
        const auto frame = pg::decodeCopyMessage(bytes);
        QVERIFY2(frame.ok(), why(frame).constData());
        QCOMPARE(std::get<pg::Keepalive>(frame.value()),
                 (pg::Keepalive{0x16B374E000ULL, kCommitUnixMicros, true}));

        const pg::Keepalive quiet{5, 0, false};
        const std::string quietBytes = weir::test::pgoutput::encodeKeepalive(quiet);
        QCOMPARE(quietBytes.size(), std::size_t(18));
        QCOMPARE(std::get<pg::Keepalive>(pg::decodeCopyMessage(quietBytes).value()), quiet);

        for (std::size_t length = 1; length < bytes.size(); ++length) {
            const std::string prefix = bytes.substr(0, length);
            const auto cut = pg::decodeCopyMessage(prefix);
            QVERIFY(!cut.ok());
            QCOMPARE(cut.error().code, weir::ErrorCode::Invalid);
        }
        QCOMPARE(pg::decodeCopyMessage(bytes.substr(0, 17)).error().message,
                 QStringLiteral("replication 'k' message: truncated at byte 17"));
        QCOMPARE(pg::decodeCopyMessage(bytes + "x").error().message,
                 QStringLiteral("replication 'k' message: 1 unexpected trailing byte at byte 18"));
    }

    void rejectsUnknownCopyMessages()
    {
        QCOMPARE(pg::decodeCopyMessage({}).error().message,
                 QStringLiteral("replication message: empty"));
        QCOMPARE(pg::decodeCopyMessage("r").error().message,
                 QStringLiteral("replication stream: unknown message type 'r'"));
        QCOMPARE(pg::decodeCopyMessage(std::string_view("\0w", 2)).error().message,
                 QStringLiteral("replication stream: unknown message type 0x00"));
        QCOMPARE(pg::decodeCopyMessage("B").error().code, weir::ErrorCode::Invalid);
    }

    void encodesStandbyStatus()
    {
        const std::string bytes =
            pg::encodeStandbyStatus(0x16B374D848ULL, 0x16B374D840ULL, 0, kCommitPgMicros);
        QCOMPARE(bytes.size(), std::size_t(34));
        QCOMPARE(qbytes(bytes), QByteArray::fromHex("72"
                                                    "00000016B374D848"
                                                    "00000016B374D840"
                                                    "0000000000000000"
                                                    "0002B0D5D4EB2240"
                                                    "00"));
        QCOMPARE(qbytes(pg::encodeStandbyStatus(~0ULL, 1, 2, -1)),
                 QByteArray::fromHex("72"
                                     "FFFFFFFFFFFFFFFF"
                                     "0000000000000001"
                                     "0000000000000002"
                                     "FFFFFFFFFFFFFFFF"
                                     "00"));
    }

    void formatsAndParsesLsn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("lsn");
        QTest::newRow("zero") << "0/0" << quint64(0);
        QTest::newRow("typical") << "16/B374D848" << quint64(0x16B374D848ULL);
        QTest::newRow("low half only") << "0/1A2B3C" << quint64(0x1A2B3C);
        QTest::newRow("high half only") << "1/0" << quint64(0x100000000ULL);
        QTest::newRow("largest") << "FFFFFFFF/FFFFFFFF" << quint64(~0ULL);
    }

    void formatsAndParsesLsn()
    {
        QFETCH(QString, text);
        QFETCH(quint64, lsn);
        QCOMPARE(QString::fromStdString(pg::formatLsn(lsn)), text);
        const auto parsed = pg::parseLsn(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, lsn);
    }

    // pg_lsn's input also takes lower case and leading zeros (8 digits at most a half).
    void parsesLsnAsPostgresDoes()
    {
        QCOMPARE(pg::parseLsn("16/b374d848"), std::optional<std::uint64_t>(0x16B374D848ULL));
        QCOMPARE(pg::parseLsn("00000016/0000000A"), std::optional<std::uint64_t>(0x160000000AULL));
    }

    void rejectsBadLsn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("no slash") << "16B374D848";
        QTest::newRow("not hex") << "G/1";
        QTest::newRow("empty low half") << "1/";
        QTest::newRow("empty high half") << "/1";
        QTest::newRow("empty") << "";
        QTest::newRow("slash only") << "/";
        QTest::newRow("two slashes") << "1/2/3";
        QTest::newRow("nine digits") << "123456789/0";
        QTest::newRow("nine digits low") << "0/123456789";
        QTest::newRow("leading space") << " 1/2";
        QTest::newRow("trailing space") << "1/2 ";
        QTest::newRow("sign") << "+1/2";
        QTest::newRow("minus") << "1/-2";
        QTest::newRow("0x prefix") << "0x1/2";
    }

    void rejectsBadLsn()
    {
        QFETCH(QString, text);
        QVERIFY(!pg::parseLsn(text.toStdString()).has_value());
    }

    void cdcPositionsRoundTrip()
    {
        using weir::connectors::postgres::CdcPosition;
        const CdcPosition change{0x1A2B, false, 3, 0x1A40, "crm.clients\npublic.items"};
        const auto source = change.toSource("read", "postgres-cdc:slot");
        QCOMPARE(source.cursor, std::string("{\"i\":3,\"end\":\"0/1A40\",\"tables\":"
                                            "\"crm.clients\\npublic.items\"}"));
        const auto back = CdcPosition::fromSource(source);
        QVERIFY(back);
        QCOMPARE(back->tables, change.tables);
        QCOMPARE(back->endLsn, change.endLsn);
        QVERIFY(*back == change);
        // The tables are not part of the order: positions of an older Weir compare alike.
        const CdcPosition older{0x1A2B, false, 3, 0x1A40};
        QVERIFY(older == change);
        QVERIFY(CdcPosition::fromSource(older.toSource("read", "s"))->tables.empty());
        const CdcPosition snapshot{0x10, true, 7, 0, "public.items"};
        QCOMPARE(CdcPosition::fromSource(snapshot.toSource("read", "s"))->tables,
                 std::string("public.items"));
        // During a join, positions carry where it began.
        CdcPosition joining{0x20, true, 2, 0, "public.items"};
        joining.joinFrom = 0x18;
        QCOMPARE(
            joining.toSource("read", "s").cursor,
            std::string("{\"snapshot\":2,\"join_from\":\"0/18\",\"tables\":\"public.items\"}"));
        QCOMPARE(CdcPosition::fromSource(joining.toSource("read", "s"))->joinFrom, 0x18u);
        QCOMPARE(CdcPosition::fromSource(snapshot.toSource("read", "s"))->joinFrom, 0u);
        auto bad = source;
        bad.cursor = "{\"i\":3,\"colour\":\"red\"}";
        QVERIFY(!CdcPosition::fromSource(bad));
    }

    void convertsTimes()
    {
        QCOMPARE(pg::unixMicrosFromPg(0), 946684800000000LL);
        QCOMPARE(pg::pgMicrosFromUnix(946684800000000LL), 0LL);
        QCOMPARE(pg::unixMicrosFromPg(kCommitPgMicros), kCommitUnixMicros);
        QCOMPARE(pg::pgMicrosFromUnix(kCommitUnixMicros), kCommitPgMicros);
        // Before 2000, and the Unix epoch itself.
        QCOMPARE(pg::unixMicrosFromPg(-946684800000000LL), 0LL);
        QCOMPARE(pg::pgMicrosFromUnix(0), -946684800000000LL);
        QCOMPARE(pg::unixMicrosFromPg(-1), 946684799999999LL);
        // Garbage on the wire saturates instead of overflowing.
        constexpr auto max = std::numeric_limits<std::int64_t>::max();
        constexpr auto min = std::numeric_limits<std::int64_t>::min();
        QCOMPARE(pg::unixMicrosFromPg(max), max);
        QCOMPARE(pg::unixMicrosFromPg(min), min + 946684800000000LL);
        QCOMPARE(pg::pgMicrosFromUnix(min), min);
        QCOMPARE(pg::pgMicrosFromUnix(max), max - 946684800000000LL);
    }
};

QTEST_GUILESS_MAIN(TestPgOutput)
#include "tst_pgoutput.moc"
