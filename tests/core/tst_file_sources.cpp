#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;

namespace {

struct Drained
{
    std::vector<record::Batch> batches;
    std::vector<engine::DeadLetter> dead;
    QString error;
};

std::unique_ptr<engine::SourceNode> makeSource(const char *type, const QString &path,
                                               const char *extraConfig = "{}")
{
    const auto *t = model::NodeTypeRegistry::builtin().find(QString::fromLatin1(type));
    QJsonObject config = QJsonDocument::fromJson(extraConfig).object();
    config.insert(QStringLiteral("path"), path);
    return t->makeSource(
        model::NodeConfig(QStringLiteral("src"), {}, t->schema.withDefaults(config)));
}

Drained drain(engine::SourceNode &source, const std::vector<record::SourcePosition> &resume = {})
{
    Drained out;
    engine::NodeContext ctx{QStringLiteral("p"), QStringLiteral("src"), 1, nullptr, nullptr};
    if (Status s = source.open(ctx, resume); !s) {
        out.error = s.error().describe();
        return out;
    }
    for (;;) {
        record::Batch b;
        auto step = source.next(b, out.dead);
        if (!step) {
            out.error = step.error().describe();
            return out;
        }
        out.batches.push_back(std::move(b));
        if (step.value() == engine::StepStatus::Finished)
            return out;
    }
}

QStringList rows(const Drained &d)
{
    QStringList out;
    for (const auto &b : d.batches) {
        for (const auto &e : b.events) {
            QStringList values;
            for (const auto &v : e.after)
                values << (v.isNull() ? QStringLiteral("∅") : QString::fromStdString(v.toText()));
            out << values.join(QLatin1Char('|'));
        }
    }
    return out;
}

} // namespace

class TestFileSources : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString fixture(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        test::writeFile(path, bytes);
        return path;
    }

private slots:
    void csvRowsBatchesAndDeadLetters()
    {
        const QString path = fixture(QStringLiteral("a.csv"),
                                     "id,name,amount\n1,a,1.5\n2,b\n3,,3\n4,\"d,d\",4\n5,e,5\n");
        auto source = makeSource("csv.source", path, R"({"batch_size": 2})");
        const Drained d = drain(*source);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(rows(d), (QStringList{"1|a|1.5", "3|∅|3", "4|d,d|4", "5|e|5"}));
        QCOMPARE(d.batches.size(), std::size_t(3));
        QCOMPARE(d.batches[0].size(), std::size_t(2));
        QCOMPARE(d.batches[0].schema->columns(),
                 (std::vector<std::string>{"id", "name", "amount"}));
        QCOMPARE(d.dead.size(), std::size_t(1));
        QCOMPARE(d.dead[0].error, QStringLiteral("line 3: expected 3 fields, found 2"));
        QCOMPARE(d.dead[0].payload, QStringLiteral("2,b"));
        QCOMPARE(d.dead[0].line, qint64(3));
        // Positions grow and the last one is the end of the file.
        QCOMPARE(d.batches.back().positions.back().offset, QFileInfo(path).size());
        QVERIFY(d.batches[0].positions[0].offset < d.batches[1].positions[0].offset);
        QCOMPARE(d.batches[0].events[1].line, qint64(4));
    }

    void csvResumeReadsEachRecordOnce()
    {
        QByteArray text = "n\n";
        for (int i = 0; i < 1000; ++i)
            text += QByteArray::number(i) + (i % 10 == 0 ? "\n\n" : "\n");
        const QString path = fixture(QStringLiteral("resume.csv"), text);
        auto full = makeSource("csv.source", path, R"({"batch_size": 64})");
        const Drained all = drain(*full);
        const auto &cut = all.batches[5].positions[0];
        auto rest = makeSource("csv.source", path, R"({"batch_size": 64})");
        const Drained tail = drain(*rest, {cut});
        QCOMPARE(rows(tail).size(), 1000 - 6 * 64);
        QCOMPARE(rows(tail).first(), QString::number(6 * 64));
        QCOMPARE(tail.batches[0].events[0].line, all.batches[6].events[0].line);
        // A position of another file is ignored.
        auto other = makeSource("csv.source", path);
        QCOMPARE(rows(drain(*other, {record::SourcePosition{"src", "/elsewhere.csv", 50}})).size(),
                 1000);
    }

    void csvWithoutHeaderAndOptions()
    {
        const QString path = fixture(QStringLiteral("nohead.tsv"), "1\t\n2\tb\n");
        auto source = makeSource(
            "csv.source", path,
            R"({"header": false, "columns": ["id", "v"], "delimiter": "\\t", "empty_as_null": false})");
        const Drained d = drain(*source);
        QCOMPARE(rows(d), (QStringList{"1|", "2|b"}));
    }

    void csvMissingFile()
    {
        auto source = makeSource("csv.source", m_dir.filePath(QStringLiteral("none.csv")));
        const Drained d = drain(*source);
        QVERIFY2(d.error.startsWith(QLatin1String("node 'src': cannot open ")),
                 qPrintable(d.error));
        QVERIFY(d.error.contains(QLatin1String("none.csv")));
    }

    void jsonlSchemaGrowsAndBadLinesGoToDlq()
    {
        const QString path =
            fixture(QStringLiteral("a.jsonl"), "{\"id\":1,\"amount\":10.50}\n"
                                               "{\"id\":2,\"amount\":3}\n"
                                               "{\"id\":3,\"amount\":1.00,\"note\":\"new\"}\n"
                                               "not json\n"
                                               "\n"
                                               "{\"amount\":2.25}\n");
        auto source = makeSource("jsonl.source", path);
        const Drained d = drain(*source);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(rows(d), (QStringList{"1|10.50", "2|3", "3|1.00|new", "∅|2.25|∅"}));
        QCOMPARE(d.batches.size(), std::size_t(2));
        QCOMPARE(d.batches[1].schema->columns(),
                 (std::vector<std::string>{"id", "amount", "note"}));
        QCOMPARE(d.batches[0].events[0].after[1].kind(), record::ValueKind::Decimal);
        QCOMPARE(d.batches[0].events[1].after[1].kind(), record::ValueKind::Int);
        // The first batch ends where the held-back record starts.
        QCOMPARE(d.batches[0].positions[0].offset, d.batches[1].events[0].offset);
        QCOMPARE(d.dead.size(), std::size_t(1));
        QCOMPARE(
            d.dead[0].error,
            QStringLiteral("line 4, column 1: expected '{' (each line must be a JSON object)"));
        QCOMPARE(d.dead[0].payload, QStringLiteral("not json"));
        QCOMPARE(d.batches[1].events.back().line, qint64(6));
    }

    void jsonlFixedColumnsAndResume()
    {
        const QString path =
            fixture(QStringLiteral("b.jsonl"), "{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n{\"a\":5}\n");
        auto source = makeSource("jsonl.source", path, R"({"columns": ["b"], "batch_size": 1})");
        const Drained d = drain(*source);
        QCOMPARE(rows(d), (QStringList{"2", "4", "∅"}));
        auto rest = makeSource("jsonl.source", path, R"({"columns": ["b"]})");
        const Drained tail = drain(*rest, {d.batches[0].positions[0]});
        QCOMPARE(rows(tail), (QStringList{"4", "∅"}));
        QCOMPARE(tail.batches[0].events[0].line, qint64(2));
    }
};

QTEST_GUILESS_MAIN(TestFileSources)
#include "tst_file_sources.moc"
