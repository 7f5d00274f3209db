#include "common/time_format.h"

#include <QTest>

using weir::common::formatIsoTimestamp;
using weir::common::formatIsoTimestampMicros;
using weir::common::parseIsoTimestamp;

class TestTimeFormat : public QObject
{
    Q_OBJECT

private slots:
    void parsesValid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
        QTest::newRow("date only") << "2024-01-01" << qint64(1704067200) * 1000000;
        QTest::newRow("millis") << "2024-01-01T00:00:00.123Z"
                                << qint64(1704067200) * 1000000 + 123000;
        QTest::newRow("micros") << "2024-01-01T00:00:00.000001Z"
                                << qint64(1704067200) * 1000000 + 1;
        QTest::newRow("no zone is utc") << "2024-01-01 00:00:01" << qint64(1704067201) * 1000000;
        QTest::newRow("offset") << "2024-01-01T02:00:00+02:00" << qint64(1704067200) * 1000000;
        QTest::newRow("negative offset")
            << "2023-12-31T19:00:00-0500" << qint64(1704067200) * 1000000;
        QTest::newRow("hours-only offset (PostgreSQL)")
            << "2024-01-01 03:00:00.25+03" << qint64(1704067200) * 1000000 + 250000;
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << qint64(1709164800) * 1000000;
        QTest::newRow("before epoch") << "1969-12-31T23:59:59.5Z" << qint64(-500000);
    }

    void parsesValid()
    {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        const auto parsed = parseIsoTimestamp(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, micros);
    }

    void rejectsInvalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("month 13") << "2024-13-45T25:61:00.000Z";
        QTest::newRow("feb 30") << "2024-02-30";
        QTest::newRow("not leap") << "2023-02-29";
        QTest::newRow("hour 24") << "2024-01-01T24:00:00Z";
        QTest::newRow("empty") << "";
        QTest::newRow("garbage") << "yesterday";
        QTest::newRow("trailing") << "2024-01-01T00:00:00Zx";
        QTest::newRow("empty fraction") << "2024-01-01T00:00:00.Z";
        QTest::newRow("short year") << "24-01-01";
        QTest::newRow("offset cut short") << "2024-01-01T00:00:00+02:";
        QTest::newRow("offset minutes cut") << "2024-01-01T00:00:00+020";
    }

    void rejectsInvalid()
    {
        QFETCH(QString, text);
        QVERIFY(!parseIsoTimestamp(text.toStdString()).has_value());
    }

    void formatsCanonically()
    {
        QCOMPARE(formatIsoTimestamp(0), std::string("1970-01-01T00:00:00.000Z"));
        QCOMPARE(formatIsoTimestamp(-500000), std::string("1969-12-31T23:59:59.500Z"));
        QCOMPARE(formatIsoTimestamp(1704067200LL * 1000000 + 1),
                 std::string("2024-01-01T00:00:00.000001Z"));
        // The generator's timestamps survive a round trip unchanged.
        const std::string text = "2024-03-07T11:22:33.456Z";
        QCOMPARE(formatIsoTimestamp(*parseIsoTimestamp(text)), text);
        // Cursor text: always six fraction digits.
        QCOMPARE(formatIsoTimestampMicros(1704067200LL * 1000000 + 123000),
                 std::string("2024-01-01T00:00:00.123000Z"));
        // The first and last second of years 1 and 9999, and beyond them.
        QCOMPARE(formatIsoTimestamp(-62135596800LL * 1000000),
                 std::string("0001-01-01T00:00:00.000Z"));
        QCOMPARE(formatIsoTimestampMicros(253402300799LL * 1000000 + 999999),
                 std::string("9999-12-31T23:59:59.999999Z"));
        QCOMPARE(formatIsoTimestamp(253402300800LL * 1000000),
                 std::string("10000-01-01T00:00:00.000Z"));
        QCOMPARE(formatIsoTimestamp(-62135596801LL * 1000000),
                 std::string("0000-12-31T23:59:59.000Z"));
    }
};

QTEST_GUILESS_MAIN(TestTimeFormat)
#include "tst_time_format.moc"
