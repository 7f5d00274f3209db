// The bad-row variant of the orders data set, end to end through weir-run: the target holds
// exactly the expected good rows, the DLQ exactly the bad ones, each with its reason.

#include "support/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::test;

class TestBadRows : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_prefix;

    void check(const QString &sourceType, const QString &extension)
    {
        const QString name = QStringLiteral("bad_") + extension;
        const QString db = m_dir.filePath(name + QStringLiteral(".db"));
        const QString state = m_dir.filePath(name + QStringLiteral(".state.db"));
        const QString pipeline = m_dir.filePath(name + QStringLiteral(".weir.json"));
        writeFile(pipeline,
                  ordersPipeline(name, sourceType, m_prefix + QStringLiteral("_bad.") + extension,
                                 db, 5000));
        const QJsonObject expected = readJsonFile(m_prefix + QStringLiteral("_bad.expected.json"));
        const qint64 badRows = expected.value(QStringLiteral("bad_rows")).toInteger();
        QVERIFY(badRows > 0);

        const ProcessResult run =
            runWeir({QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                     QStringLiteral("--state"), state});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")),
                 expected.value(QStringLiteral("distinct_ids")).toInteger());
        QCOMPARE(
            queryText(db,
                      QStringLiteral(
                          "SELECT printf('%.2f', sum(round(amount * 100)) / 100.0) FROM orders")),
            expected.value(QStringLiteral("final_amount_sum")).toString());
        const QJsonObject statuses =
            expected.value(QStringLiteral("final_status_counts")).toObject();
        for (auto it = statuses.begin(); it != statuses.end(); ++it)
            QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders WHERE status = '%1'")
                                      .arg(it.key())),
                     it.value().toInteger());

        const ProcessResult list = runWeir({QStringLiteral("dlq"), QStringLiteral("list"),
                                            QStringLiteral("--json"), QStringLiteral("--limit"),
                                            QStringLiteral("0"), QStringLiteral("--state"), state});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray entries = QJsonDocument::fromJson(list.out).array();
        QCOMPARE(entries.size(), badRows);
        // Every bad kind the generator made is there, with a reason that names the field.
        const QJsonObject kinds = expected.value(QStringLiteral("bad_kinds")).toObject();
        qint64 numbers = 0, timestamps = 0, missing = 0;
        for (const QJsonValue v : entries) {
            const QString error = v.toObject().value(QStringLiteral("error")).toString();
            QVERIFY(!v.toObject().value(QStringLiteral("payload")).toString().isEmpty());
            QVERIFY(v.toObject().value(QStringLiteral("line")).toInteger() > 1);
            if (error.contains(QLatin1String("expected 5 fields, found 4")) ||
                error.contains(QLatin1String("required value is missing")))
                ++missing;
            else if (error.contains(QLatin1String("updated_at: ")))
                ++timestamps;
            else if (error.contains(QLatin1String("amount: ")) ||
                     error.contains(QLatin1String("order_id: ")))
                ++numbers;
            else
                QFAIL(qPrintable(QStringLiteral("unexpected reason: ") + error));
        }
        QCOMPARE(numbers + timestamps + missing, badRows);
        QCOMPARE(timestamps, kinds.value(QStringLiteral("bad_timestamp")).toInteger());
        // An empty amount is a missing value, counted by the generator as a bad number.
        QCOMPARE(numbers + missing, kinds.value(QStringLiteral("bad_number")).toInteger() +
                                        kinds.value(QStringLiteral("missing_column")).toInteger());
    }

private slots:
    void initTestCase() { m_prefix = generateOrders(m_dir.path(), 20000, 0.02); }
    void csvBadRows() { check(QStringLiteral("csv.source"), QStringLiteral("csv")); }
    void jsonlBadRows() { check(QStringLiteral("jsonl.source"), QStringLiteral("jsonl")); }
};

QTEST_GUILESS_MAIN(TestBadRows)
#include "tst_bad_rows.moc"
