#include "common/time_format.h"
#include "connectors/file/zone_sink.h"
#include "engine/node.h"
#include "support/test_support.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;
using connectors::file::ZoneOptions;
using connectors::file::ZoneSink;
using record::Value;

namespace {

record::Batch ordersBatch(std::int64_t endOffset,
                          const std::vector<std::pair<int, const char *>> &rows)
{
    record::Batch b;
    b.schema = record::makeSchema({"id", "note", "updated_at"});
    b.stream = "/in/orders.csv";
    for (const auto &[id, day] : rows) {
        record::ChangeEvent e;
        e.after = {Value::fromInt(id), Value::fromString("a, \"quoted\" note"),
                   day ? Value::fromString(std::string(day) + "T10:00:00Z") : Value()};
        b.events.push_back(e);
    }
    b.positions = {record::SourcePosition{"read", "/in/orders.csv", endOffset}};
    b.ingestTimeMicros = *common::parseIsoTimestamp("2024-05-05T00:00:00Z");
    return b;
}

QStringList filesUnder(const QString &folder)
{
    QStringList out;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(folder).relativeFilePath(it.next());
    out.sort();
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestZoneSink : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ZoneSink> open(const QString &root, bool csv, const char *partitionBy)
    {
        ZoneOptions o;
        o.root = root;
        o.zone = QStringLiteral("staging");
        o.dataset = QStringLiteral("orders");
        o.csv = csv;
        o.partitionBy = partitionBy;
        auto sink = std::make_unique<ZoneSink>(o);
        const Status s = sink->open(
            engine::NodeContext{QStringLiteral("p"), QStringLiteral("lake"), 1, nullptr, nullptr});
        if (!s)
            qWarning("%s", qPrintable(s.error().message));
        return sink;
    }

private slots:
    void partitionsRenamesAndRecordsPositions()
    {
        QTemporaryDir dir;
        auto sink = open(dir.path(), false, "updated_at");
        auto w =
            sink->write(ordersBatch(100, {{1, "2024-01-01"}, {2, "2024-01-02"}, {3, nullptr}}));
        QVERIFY(w);
        QCOMPARE(w->written, std::int64_t(3));
        const QStringList files = filesUnder(sink->datasetFolder());
        QCOMPARE(files.size(), 4); // three partitions and the manifest; no temporary file left
        QVERIFY(files.last() ==
                QStringLiteral("date=unknown/") + files.last().section(QLatin1Char('/'), 1));
        QVERIFY(files[0].startsWith(QLatin1String("_manifest.jsonl")));
        QVERIFY(files[1].startsWith(QLatin1String("date=2024-01-01/part-")));
        QVERIFY(files[2].startsWith(QLatin1String("date=2024-01-02/part-")));
        QCOMPARE(readAll(sink->datasetFolder() + QLatin1Char('/') + files[1]),
                 QByteArray("{\"id\":1,\"note\":\"a, \\\"quoted\\\" "
                            "note\",\"updated_at\":\"2024-01-01T10:00:00Z\"}\n"));
        auto positions = sink->committedPositions();
        QVERIFY(positions);
        QCOMPARE(positions->size(), std::size_t(1));
        QCOMPARE(positions->front(), (record::SourcePosition{"read", "/in/orders.csv", 100}));
    }

    void sameBatchAgainReplacesItsFile()
    {
        QTemporaryDir dir;
        auto sink = open(dir.path(), true, "");
        QVERIFY(sink->write(ordersBatch(50, {{1, "2024-01-01"}})));
        QVERIFY(sink->write(ordersBatch(50, {{1, "2024-01-01"}}))); // a replay after a crash
        QVERIFY(sink->write(ordersBatch(80, {{2, "2024-01-01"}})));
        const QStringList files = filesUnder(sink->datasetFolder());
        QCOMPARE(files.size(), 3); // two data files (ingest date) and the manifest
        QVERIFY(files[1].startsWith(QLatin1String("date=2024-05-05/part-")));
        const QByteArray csv = readAll(sink->datasetFolder() + QLatin1Char('/') + files[1]);
        QVERIFY(csv.startsWith("id,note,updated_at\n"));
        QVERIFY(csv.contains("\"a, \"\"quoted\"\" note\""));
        QCOMPARE(sink->committedPositions()->front().offset, std::int64_t(80));
    }

    void batchesSharingAnOffsetGetFilesOfTheirOwn()
    {
        // Two batches of a table source share a watermark (the offset) but not a cursor, and
        // late rows of a lookback window carry no position at all: none may replace another.
        QTemporaryDir dir;
        auto sink = open(dir.path(), false, "");
        record::Batch first = ordersBatch(7, {{1, "2024-01-01"}});
        first.positions.front().cursor = R"({"w":7,"k":1})";
        record::Batch second = ordersBatch(7, {{2, "2024-01-01"}});
        second.positions.front().cursor = R"({"w":7,"k":2})";
        record::Batch late = ordersBatch(0, {{3, "2024-01-01"}});
        late.positions.clear();
        record::Batch lateToo = ordersBatch(0, {{4, "2024-01-01"}});
        lateToo.positions.clear();
        for (const record::Batch *b : {&first, &second, &late, &lateToo})
            QVERIFY(sink->write(*b));
        const QStringList files = filesUnder(sink->datasetFolder());
        QCOMPARE(files.size(), 5); // four data files and the manifest
        QByteArray all;
        for (const QString &f : files.mid(1))
            all += readAll(sink->datasetFolder() + QLatin1Char('/') + f);
        for (const char *id : {"\"id\":1,", "\"id\":2,", "\"id\":3,", "\"id\":4,"})
            QVERIFY2(all.contains(id), id);
        // The same batch again still replaces its own file.
        QVERIFY(sink->write(second));
        QCOMPARE(filesUnder(sink->datasetFolder()).size(), 5);
    }

    void manifestCutShortByACrash()
    {
        QTemporaryDir dir;
        {
            auto sink = open(dir.path(), false, "");
            QVERIFY(sink->write(ordersBatch(10, {{1, "2024-01-01"}})));
            QFile manifest(sink->manifestPath());
            QVERIFY(manifest.open(QIODevice::Append));
            manifest.write(
                "{\"pipeline\":\"p\",\"sink\":\"lake\",\"positions\":[{\"source\":\"read\",\"str");
        }
        auto sink = open(dir.path(), false, "");
        QCOMPARE(sink->committedPositions()->front().offset, std::int64_t(10));
        QVERIFY(sink->write(ordersBatch(20, {{2, "2024-01-01"}})));
        QCOMPARE(sink->committedPositions()->front().offset, std::int64_t(20));
    }

    void unknownPartitionColumnIsAnError()
    {
        QTemporaryDir dir;
        auto sink = open(dir.path(), false, "shipped_at");
        auto w = sink->write(ordersBatch(10, {{1, "2024-01-01"}}));
        QVERIFY(!w);
        QCOMPARE(w.error().message,
                 QStringLiteral("partition column 'shipped_at' is not in the records"));
    }
};

QTEST_GUILESS_MAIN(TestZoneSink)
#include "tst_zone_sink.moc"
