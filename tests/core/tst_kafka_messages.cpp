// Kafka messages as records, in each format of kafka.source: JSON objects with the key as a
// column, raw text, Debezium envelopes with and without their schema wrapper (creates,
// updates, deletes, snapshot reads, event time), tombstones as deletes by key, and clear
// reasons for what cannot be read.

#include "connectors/kafka/kafka_messages.h"

#include <QTest>

using namespace weir;
using namespace weir::connectors::kafka;
using record::Op;
using record::Value;

namespace {

// "name=value" for each field, in order, values as text ("null" for null).
QStringList texts(const Fields &fields)
{
    QStringList out;
    for (const auto &[name, value] : fields)
        out << QString::fromStdString(name + "=" + (value.isNull() ? "null" : value.toText()));
    return out;
}

std::optional<DecodedMessage> decode(MessageFormat format, const char *key, const char *value,
                                     const std::string &keyColumn, std::string &why)
{
    const std::string k = key ? key : "", v = value ? value : "";
    return decodeMessage(format, key ? &k : nullptr, value ? &v : nullptr, keyColumn, why);
}

} // namespace

class TestKafkaMessages : public QObject
{
    Q_OBJECT

private slots:
    void jsonAndRaw()
    {
        std::string why;
        auto m =
            decode(MessageFormat::Json, "7", R"({"order_id": 7, "amount": 12.50})", "_key", why);
        QVERIFY(m);
        QCOMPARE(m->op, Op::Create);
        QCOMPARE(texts(m->after), (QStringList{"order_id=7", "amount=12.50", "_key=7"}));
        m = decode(MessageFormat::Json, nullptr, R"({"a": "x"})", "", why);
        QVERIFY(m);
        QCOMPARE(texts(m->after), QStringList{"a=x"});

        m = decode(MessageFormat::Raw, "k1", "plain text, not JSON", "key", why);
        QVERIFY(m);
        QCOMPARE(texts(m->after), (QStringList{"value=plain text, not JSON", "key=k1"}));
    }

    void tombstonesDeleteByKey()
    {
        std::string why;
        auto m = decode(MessageFormat::Json, R"({"order_id": 7})", nullptr, "", why);
        QVERIFY(m);
        QCOMPARE(m->op, Op::Delete);
        QVERIFY(m->after.empty());
        QCOMPARE(texts(m->before), QStringList{"order_id=7"});
        m = decode(MessageFormat::Json, "7", nullptr, "order_id", why);
        QVERIFY(m);
        QCOMPARE(texts(m->before), QStringList{"order_id=7"});
        m = decode(MessageFormat::Debezium,
                   R"({"schema": {"type": "struct"}, "payload": {"id": 3}})", nullptr, "", why);
        QVERIFY(m);
        QCOMPARE(m->op, Op::Delete);
        QCOMPARE(texts(m->before), QStringList{"id=3"});

        QVERIFY(!decode(MessageFormat::Json, "7", nullptr, "", why));
        QCOMPARE(why, std::string("a tombstone whose key is not a JSON object, and no "
                                  "key_column to delete by"));
        QVERIFY(!decode(MessageFormat::Json, nullptr, nullptr, "", why));
        QCOMPARE(why, std::string("a message with neither key nor value"));
    }

    void debeziumEnvelopes()
    {
        std::string why;
        // With the schema wrapper: an update, its event time from ts_ms.
        auto m = decode(MessageFormat::Debezium, nullptr, R"({"schema": {"type": "struct"},
            "payload": {"before": {"id": 1, "status": "new"}, "after": {"id": 1, "status": "paid"},
                        "source": {"lsn": 123}, "op": "u", "ts_ms": 1700000000123}})",
                        "", why);
        QVERIFY2(m, why.c_str());
        QCOMPARE(m->op, Op::Update);
        QCOMPARE(texts(m->after), (QStringList{"id=1", "status=paid"}));
        QCOMPARE(texts(m->before), (QStringList{"id=1", "status=new"}));
        QCOMPARE(m->eventTimeMicros, std::int64_t(1700000000123000));

        // Without it: a delete keeps only what was there before.
        m = decode(MessageFormat::Debezium, nullptr,
                   R"({"before": {"id": 2}, "after": null, "op": "d", "ts_ms": 5})", "", why);
        QVERIFY2(m, why.c_str());
        QCOMPARE(m->op, Op::Delete);
        QVERIFY(m->after.empty());
        QCOMPARE(texts(m->before), QStringList{"id=2"});

        m = decode(MessageFormat::Debezium, nullptr,
                   R"({"before": null, "after": {"id": 3}, "op": "r", "ts_ms": 1.5e3})", "", why);
        QVERIFY(m);
        QCOMPARE(m->op, Op::Read);
        QCOMPARE(m->eventTimeMicros, std::int64_t(1500000)); // exponent form
        m = decode(MessageFormat::Debezium, nullptr,
                   R"({"before": null, "after": {"id": 4}, "op": "c"})", "", why);
        QVERIFY(m);
        QCOMPARE(m->op, Op::Create);
        QCOMPARE(texts(m->after), QStringList{"id=4"});
    }

    void unreadableMessagesSayWhy()
    {
        std::string why;
        QVERIFY(!decode(MessageFormat::Json, nullptr, "not json", "", why));
        QVERIFY2(QString::fromStdString(why).startsWith(
                     QStringLiteral("the value is not a JSON object (column 1: ")),
                 why.c_str());
        QVERIFY(!decode(MessageFormat::Debezium, nullptr, R"({"op": "x", "after": {"id": 1}})", "",
                        why));
        QCOMPARE(why, std::string("not a Debezium change: \"op\" is not one of c, u, d, r"));
        QVERIFY(
            !decode(MessageFormat::Debezium, nullptr, R"({"op": "c", "after": null})", "", why));
        QCOMPARE(why, std::string("a Debezium change without \"after\""));
        QVERIFY(
            !decode(MessageFormat::Debezium, nullptr, R"({"op": "d", "after": null})", "", why));
        QCOMPARE(why, std::string("a Debezium delete without \"before\""));
        QVERIFY(!decode(MessageFormat::Debezium, nullptr, R"({"op": "c", "after": 5})", "", why));
        QCOMPARE(why, std::string("\"after\" is not an object"));
        QCOMPARE(parseMessageFormat("avro"), std::nullopt);
        QCOMPARE(parseMessageFormat("debezium"), MessageFormat::Debezium);
    }
};

QTEST_GUILESS_MAIN(TestKafkaMessages)
#include "tst_kafka_messages.moc"
