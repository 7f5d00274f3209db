// The orders generator the tests rely on: same seed, same bytes; and the figures it promises
// are recomputed here by reading its files back with code of its own.

#include "support/orders_generator.h"
#include "support/test_support.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace weir::test;

namespace {

const QStringList fileSuffixes{
    QStringLiteral(".csv"),     QStringLiteral(".jsonl"),     QStringLiteral(".expected.json"),
    QStringLiteral("_bad.csv"), QStringLiteral("_bad.jsonl"), QStringLiteral("_bad.expected.json")};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qWarning("cannot read %s", qPrintable(path));
    return f.readAll();
}

QList<QByteArray> dataLines(const QString &path)
{
    QList<QByteArray> lines = readAll(path).split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// One row as the orders pipeline's validate rules see it (int, int, decimal, text, timestamp;
// all required).
struct ParsedRow
{
    bool valid = false;
    QByteArray orderId, amount, status, updatedAt;
};

bool isInt(const QByteArray &s)
{
    static const QRegularExpression re(QStringLiteral("\\A[+-]?[0-9]+\\z"));
    return re.match(QString::fromLatin1(s)).hasMatch();
}

bool isDecimal(const QByteArray &s)
{
    static const QRegularExpression re(QStringLiteral("\\A[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)\\z"));
    return re.match(QString::fromLatin1(s)).hasMatch();
}

bool isTimestamp(const QByteArray &s)
{
    return s.endsWith('Z') &&
           QDateTime::fromString(QString::fromLatin1(s), Qt::ISODateWithMs).isValid();
}

ParsedRow parseCsv(const QByteArray &line)
{
    const QList<QByteArray> f = line.split(',');
    ParsedRow r;
    if (f.size() != 5)
        return r;
    r = {true, f[0], f[2], f[3], f[4]};
    r.valid = isInt(f[0]) && isInt(f[1]) && isDecimal(f[2]) && !f[3].isEmpty() && isTimestamp(f[4]);
    return r;
}

// The text of a JSON member as written (a number literal stays as it is).
QByteArray rawMember(const QByteArray &line, const QByteArray &key)
{
    const QByteArray tag = '"' + key + "\":";
    const qsizetype at = line.indexOf(tag);
    if (at < 0)
        return {};
    const qsizetype start = at + tag.size();
    qsizetype end = start;
    while (end < line.size() && line[end] != ',' && line[end] != '}')
        ++end;
    return line.mid(start, end - start);
}

ParsedRow parseJsonLine(const QByteArray &line)
{
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    ParsedRow r;
    for (const char *key : {"order_id", "customer_id", "amount", "status", "updated_at"}) {
        if (!o.contains(QLatin1String(key)))
            return r;
    }
    r = {true, rawMember(line, "order_id"), rawMember(line, "amount"),
         o.value(QStringLiteral("status")).toString().toUtf8(),
         o.value(QStringLiteral("updated_at")).toString().toUtf8()};
    r.valid = o.value(QStringLiteral("order_id")).isDouble() && isInt(r.orderId) &&
              o.value(QStringLiteral("customer_id")).isDouble() && isDecimal(r.amount) &&
              !r.status.isEmpty() && isTimestamp(r.updatedAt);
    return r;
}

// Append and last-write-wins figures over rows, computed from scratch.
struct Figures
{
    qint64 rows = 0, validRows = 0, distinctIds = 0, badRows = 0;
    QString finalAmountSum;
    std::map<QString, qint64> finalStatusCounts;
};

Figures figuresOf(const QList<ParsedRow> &rows)
{
    struct Latest
    {
        QByteArray updatedAt, amount, status;
    };
    std::map<QByteArray, Latest> latest;
    Figures f;
    for (const ParsedRow &r : rows) {
        ++f.rows;
        if (!r.valid) {
            ++f.badRows;
            continue;
        }
        ++f.validRows;
        Latest &l = latest[r.orderId];
        if (r.updatedAt > l.updatedAt) // fixed-width UTC text sorts as time
            l = {r.updatedAt, r.amount, r.status};
    }
    qint64 cents = 0;
    for (const auto &[id, l] : latest) {
        const QList<QByteArray> parts = l.amount.split('.');
        cents += parts[0].toLongLong() * 100 + parts.value(1).leftJustified(2, '0').toLongLong();
        ++f.finalStatusCounts[QString::fromUtf8(l.status)];
    }
    f.distinctIds = static_cast<qint64>(latest.size());
    f.finalAmountSum =
        QStringLiteral("%1.%2").arg(cents / 100).arg(cents % 100, 2, 10, QLatin1Char('0'));
    return f;
}

QList<ParsedRow> readCsv(const QString &path)
{
    QList<QByteArray> lines = dataLines(path);
    if (lines.isEmpty() || lines.takeFirst() != "order_id,customer_id,amount,status,updated_at")
        qWarning("%s: unexpected header", qPrintable(path));
    QList<ParsedRow> rows;
    for (const QByteArray &line : lines)
        rows << parseCsv(line);
    return rows;
}

QList<ParsedRow> readJsonLines(const QString &path)
{
    QList<ParsedRow> rows;
    for (const QByteArray &line : dataLines(path))
        rows << parseJsonLine(line);
    return rows;
}

QJsonObject statusesJson(const std::map<QString, qint64> &counts)
{
    QJsonObject o;
    for (const auto &[status, count] : counts)
        o.insert(status, count);
    return o;
}

} // namespace

class TestOrdersGenerator : public QObject
{
    Q_OBJECT

private:
    static constexpr int rows = 20000;
    static constexpr double badFraction = 0.05;

    static void compareFigures(const Figures &read, const OrdersExpected &promised,
                               const QJsonObject &written)
    {
        QCOMPARE(read.rows, promised.rows);
        QCOMPARE(read.validRows, promised.validRows);
        QCOMPARE(read.distinctIds, promised.distinctIds);
        QCOMPARE(read.badRows, promised.badRows);
        QCOMPARE(read.finalAmountSum, promised.finalAmountSum);
        QCOMPARE(read.finalStatusCounts, promised.finalStatusCounts);
        QCOMPARE(written.value(QStringLiteral("rows")).toInteger(), read.rows);
        QCOMPARE(written.value(QStringLiteral("valid_rows")).toInteger(), read.validRows);
        QCOMPARE(written.value(QStringLiteral("distinct_ids")).toInteger(), read.distinctIds);
        QCOMPARE(written.value(QStringLiteral("bad_rows")).toInteger(), read.badRows);
        QCOMPARE(written.value(QStringLiteral("final_amount_sum")).toString(), read.finalAmountSum);
        QCOMPARE(written.value(QStringLiteral("final_status_counts")).toObject(),
                 statusesJson(read.finalStatusCounts));
    }

private slots:
    void sameSeedSameBytes()
    {
        QTemporaryDir a, b, c;
        const OrdersDataSet first = writeOrders(a.path(), rows, badFraction);
        const OrdersDataSet second = writeOrders(b.path(), rows, badFraction);
        QVERIFY(!first.prefix.isEmpty());
        for (const QString &suffix : fileSuffixes) {
            const QByteArray bytes = readAll(first.prefix + suffix);
            QVERIFY2(bytes.size() > 100, qPrintable(suffix));
            QVERIFY2(bytes == readAll(second.prefix + suffix), qPrintable(suffix));
        }
        // Another seed gives other data; the good files do not depend on the bad fraction.
        const OrdersDataSet other = writeOrders(c.path(), rows, 0.0, 7);
        QVERIFY(readAll(other.prefix + QStringLiteral(".csv")) !=
                readAll(first.prefix + QStringLiteral(".csv")));
        QVERIFY(!QFile::exists(other.prefix + QStringLiteral("_bad.csv")));
        const OrdersDataSet noBad = writeOrders(c.path(), rows, 0.0);
        for (const QString &suffix : fileSuffixes.mid(0, 2))
            QVERIFY(readAll(noBad.prefix + suffix) == readAll(first.prefix + suffix));
    }

    void goodFilesHoldTheDataModel()
    {
        QTemporaryDir dir;
        const OrdersDataSet set = writeOrders(dir.path(), rows, badFraction);
        const QList<QByteArray> lines = dataLines(set.prefix + QStringLiteral(".csv"));
        QCOMPARE(lines.size(), rows + 1);
        static const QRegularExpression strict(QStringLiteral(
            "\\A[0-9]+,[0-9]+,[0-9]+\\.[0-9]{2},[a-z]+,"
            "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\\z"));
        QByteArray previous;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            QVERIFY2(strict.match(QString::fromLatin1(lines[i])).hasMatch(), lines[i].constData());
            const QByteArray updatedAt = lines[i].split(',').at(4);
            QVERIFY2(updatedAt > previous, lines[i].constData()); // strictly increasing
            previous = updatedAt;
        }
        QVERIFY2(lines[1].contains(",2024-01-01T00:00:00."), lines[1].constData());
        // About 5% of the rows update an earlier order.
        QVERIFY2(set.good.dupRows > rows * 4 / 100 && set.good.dupRows < rows * 6 / 100,
                 qPrintable(QString::number(set.good.dupRows)));
        QCOMPARE(set.good.rows - set.good.dupRows, set.good.distinctIds);

        const Figures csv = figuresOf(readCsv(set.prefix + QStringLiteral(".csv")));
        compareFigures(csv, set.good, readJsonFile(set.prefix + QStringLiteral(".expected.json")));
        QCOMPARE(csv.badRows, 0);

        // JSON Lines: the same rows, amounts as bare number literals with the CSV's text.
        const QList<ParsedRow> json = readJsonLines(set.prefix + QStringLiteral(".jsonl"));
        const QList<ParsedRow> fromCsv = readCsv(set.prefix + QStringLiteral(".csv"));
        QCOMPARE(json.size(), fromCsv.size());
        for (qsizetype i = 0; i < json.size(); ++i) {
            QCOMPARE(json[i].orderId, fromCsv[i].orderId);
            QCOMPARE(json[i].amount, fromCsv[i].amount);
            QCOMPARE(json[i].status, fromCsv[i].status);
            QCOMPARE(json[i].updatedAt, fromCsv[i].updatedAt);
        }
    }

    void badVariantFiguresAgreeWithTheFiles()
    {
        QTemporaryDir dir;
        const OrdersDataSet set = writeOrders(dir.path(), rows, badFraction);
        const QJsonObject written = readJsonFile(set.prefix + QStringLiteral("_bad.expected.json"));
        const Figures csv = figuresOf(readCsv(set.prefix + QStringLiteral("_bad.csv")));
        compareFigures(csv, set.bad, written);
        const Figures json = figuresOf(readJsonLines(set.prefix + QStringLiteral("_bad.jsonl")));
        compareFigures(json, set.bad, written);

        // Roughly the fraction asked for, and every kind of damage is there.
        QVERIFY2(set.bad.badRows > rows * 4 / 100 && set.bad.badRows < rows * 6 / 100,
                 qPrintable(QString::number(set.bad.badRows)));
        qint64 kinds = 0;
        for (const QString &kind : {QStringLiteral("bad_number"), QStringLiteral("missing_column"),
                                    QStringLiteral("bad_timestamp")}) {
            const qint64 n = set.bad.badKinds.at(kind);
            QVERIFY2(n > 0, qPrintable(kind));
            QCOMPARE(written.value(QStringLiteral("bad_kinds")).toObject().value(kind).toInteger(),
                     n);
            kinds += n;
        }
        QCOMPARE(kinds, set.bad.badRows);
        const QString text = QString::fromLatin1(readAll(set.prefix + QStringLiteral("_bad.csv")));
        for (const QString &sample :
             {QStringLiteral(",[0-9]+\\.[0-9]x,"), QStringLiteral(",N/A,"),
              QStringLiteral(",1\\.2\\.3,"), QStringLiteral("\n[0-9]+,[0-9]+,,"),
              QStringLiteral("\n[0-9]+a,"), QStringLiteral(",2024-13-45T25:61:00\\.000Z\n"),
              QStringLiteral("\n[0-9]+,[0-9]+,[0-9.]+,[a-z]+\n")})
            QVERIFY2(QRegularExpression(sample).match(text).hasMatch(), qPrintable(sample));
        // The bad rows replace good ones: the row count and the other orders stay.
        QCOMPARE(set.bad.rows, set.good.rows);
        QVERIFY(set.bad.distinctIds <= set.good.distinctIds);
        QVERIFY(set.bad.distinctIds > set.good.distinctIds * 9 / 10);
    }
};

QTEST_GUILESS_MAIN(TestOrdersGenerator)
#include "tst_orders_generator.moc"
