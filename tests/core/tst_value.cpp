#include "record/batch.h"
#include "record/record_json.h"
#include "record/value.h"
#include "record/value_cast.h"

#include <QTest>

using namespace weir::record;

Q_DECLARE_METATYPE(weir::record::ValueKind)

class TestValue : public QObject
{
    Q_OBJECT

private slots:
    void kindsAndText()
    {
        QVERIFY(Value().isNull());
        QCOMPARE(Value::fromInt(-42).toText(), std::string("-42"));
        QCOMPARE(Value::fromBool(true).toText(), std::string("true"));
        QCOMPARE(Value::fromDecimalText("123.45").toText(), std::string("123.45"));
        QCOMPARE(Value::fromDouble(0.5).toText(), std::string("0.5"));
        QCOMPARE(Value::fromTimestampMicros(0).toText(), std::string("1970-01-01T00:00:00.000Z"));
        QCOMPARE(Value::fromString("a").kind(), ValueKind::String);
        QVERIFY(Value::fromInt(1) == Value::fromInt(1));
        QVERIFY(!(Value::fromInt(1) == Value::fromString("1")));
        QVERIFY(sizeof(Value) <= 48);
    }

    void casts_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<ValueKind>("target");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("text");
        QTest::newRow("int") << "17" << ValueKind::Int << true << "17";
        QTest::newRow("int plus") << "+17" << ValueKind::Int << true << "17";
        QTest::newRow("int suffix")
            << "17a" << ValueKind::Int << false << "'17a' is not a whole number";
        QTest::newRow("int empty") << "" << ValueKind::Int << false << "'' is not a whole number";
        QTest::newRow("int overflow") << "99999999999999999999" << ValueKind::Int << false
                                      << "'99999999999999999999' is not a whole number";
        QTest::newRow("decimal") << "123.45" << ValueKind::Decimal << true << "123.45";
        QTest::newRow("decimal x")
            << "12.3x" << ValueKind::Decimal << false << "'12.3x' is not a decimal number";
        QTest::newRow("decimal n/a")
            << "N/A" << ValueKind::Decimal << false << "'N/A' is not a decimal number";
        QTest::newRow("decimal two dots")
            << "1.2.3" << ValueKind::Decimal << false << "'1.2.3' is not a decimal number";
        QTest::newRow("decimal exponent")
            << "1e5" << ValueKind::Decimal << false << "'1e5' is not a decimal number";
        QTest::newRow("double exponent") << "1e5" << ValueKind::Double << true << "100000";
        QTest::newRow("bool yes") << "Yes" << ValueKind::Bool << true << "true";
        QTest::newRow("bool bad") << "maybe" << ValueKind::Bool << false
                                  << "'maybe' is not true or false";
        QTest::newRow("timestamp") << "2024-01-01T00:00:00.123Z" << ValueKind::Timestamp << true
                                   << "2024-01-01T00:00:00.123Z";
        QTest::newRow("timestamp bad")
            << "2024-13-45T25:61:00.000Z" << ValueKind::Timestamp << false
            << "'2024-13-45T25:61:00.000Z' is not an ISO-8601 timestamp";
    }

    void casts()
    {
        QFETCH(QString, input);
        QFETCH(ValueKind, target);
        QFETCH(bool, ok);
        QFETCH(QString, text);
        std::string why;
        const auto out = castValue(Value::fromString(input.toStdString()), target, &why);
        QCOMPARE(out.has_value(), ok);
        if (ok) {
            QCOMPARE(out->kind(), target);
            QCOMPARE(QString::fromStdString(out->toText()), text);
        } else {
            QCOMPARE(QString::fromStdString(why), text);
        }
    }

    void nullStaysNull()
    {
        const auto out = castValue(Value(), ValueKind::Int);
        QVERIFY(out && out->isNull());
    }

    void recordJson()
    {
        const Schema schema({"id", "name", "amount", "at", "gone"});
        ChangeEvent e;
        e.after = {Value::fromInt(7), Value::fromString("a \"b\"\n"),
                   Value::fromDecimalText("1.50"), Value::fromTimestampMicros(0), Value()};
        QCOMPARE(eventToJson(schema, e),
                 std::string("{\"id\":7,\"name\":\"a \\\"b\\\"\\n\",\"amount\":1.50,"
                             "\"at\":\"1970-01-01T00:00:00.000Z\",\"gone\":null}"));
    }
    // A spent event handed back to a source starts as a new one, its values keeping their
    // text's storage.
    void reusedEventsStartClean()
    {
        Batch batch;
        ChangeEvent &fresh = batch.addEvent(2);
        QCOMPARE(fresh.after.size(), std::size_t(2));
        QVERIFY(fresh.after[0].isNull() && fresh.after[1].isNull());

        ChangeEvent spent;
        spent.op = Op::Delete;
        spent.after = {Value::fromString(std::string(100, 'x')), Value::fromInt(7),
                       Value::fromString("z")};
        spent.before = {Value::fromInt(1)};
        spent.offset = 5;
        spent.line = 6;
        spent.eventTimeMicros = 7;
        spent.location = "k=1";
        const char *storage = spent.after[0].text().data();
        batch.spare.push_back(std::move(spent));

        ChangeEvent &e = batch.addEvent(2);
        QVERIFY(batch.spare.empty());
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(e.op, Op::Read);
        QVERIFY(e.before.empty());
        QCOMPARE(e.offset, std::int64_t(0));
        QCOMPARE(e.line, std::int64_t(0));
        QCOMPARE(e.eventTimeMicros, std::int64_t(0));
        QVERIFY(e.location.empty());
        QCOMPARE(e.after.size(), std::size_t(2));
        e.after[0].assignText(ValueKind::String, "2024-01-01T00:00:00.000Z");
        e.after[1].setNull();
        QCOMPARE(e.after[0], Value::fromString("2024-01-01T00:00:00.000Z"));
        QVERIFY(e.after[0].text().data() == storage); // the same storage: nothing allocated
        QVERIFY(e.after[1].isNull());
        QCOMPARE(e.after[1].toText(), std::string());
        e.after[1].assignText(ValueKind::Decimal, "1.50");
        QCOMPARE(e.after[1], Value::fromDecimalText("1.50"));

        // A slot that once held a long text does not keep it for a short one: memory the
        // queues do not count stays small.
        Value v;
        v.assignText(ValueKind::String, std::string(1 << 20, 'n'));
        v.assignText(ValueKind::String, "short");
        QVERIFY(v.text().capacity() < 1024);
        v.assignText(ValueKind::String, std::string(1 << 20, 'n'));
        v.setNull();
        QVERIFY(v.text().capacity() < 1024);
    }
};

QTEST_GUILESS_MAIN(TestValue)
#include "tst_value.moc"
