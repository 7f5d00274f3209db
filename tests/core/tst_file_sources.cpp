#include "common/time_format.h"
#include "connectors/file/file_connectors.h"
#include "engine/node.h"
#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;

namespace {

const model::NodeTypeRegistry &fileTypes()
{
    static const model::NodeTypeRegistry registry = [] {
        model::NodeTypeRegistry r;
        connectors::file::registerFileConnectors(r);
        return r;
    }();
    return registry;
}

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

std::unique_ptr<engine::SourceNode> makeSource(const char *type, const QString &path,
                                               const QByteArray &extraConfig = "{}")
{
    const model::NodeType *t = fileTypes().find(QString::fromLatin1(type));
    QJsonObject config = json(extraConfig);
    config.insert(QStringLiteral("path"), path);
    return t->makeSource(
        model::NodeConfig(QStringLiteral("src"), {}, t->schema.withDefaults(config)));
}

engine::NodeContext context()
{
    return engine::NodeContext{QStringLiteral("p"), QStringLiteral("src"), 1, nullptr, nullptr};
}

struct Drained
{
    std::vector<record::Batch> batches;
    QList<engine::StepStatus> steps;
    std::vector<engine::DeadLetter> dead;
    QString error;
};

Drained drain(engine::SourceNode &source, const std::vector<record::SourcePosition> &resume = {})
{
    Drained out;
    if (Status s = source.open(context(), resume); !s) {
        out.error = s.error().describe();
        return out;
    }
    for (int calls = 0; calls < 100000; ++calls) {
        record::Batch b;
        auto step = source.next(b, out.dead);
        if (!step) {
            out.error = step.error().describe();
            return out;
        }
        out.batches.push_back(std::move(b));
        out.steps << step.value();
        if (step.value() == engine::StepStatus::Finished)
            return out;
    }
    out.error = QStringLiteral("never finished");
    return out;
}

QString valueText(const record::Value &v)
{
    return v.isNull() ? QStringLiteral("∅") : QString::fromStdString(v.toText());
}

// Every event's values joined by '|', null as ∅.
QStringList rows(const Drained &d)
{
    QStringList out;
    for (const auto &b : d.batches) {
        for (const auto &e : b.events) {
            QStringList values;
            for (const auto &v : e.after)
                values << valueText(v);
            out << values.join(QLatin1Char('|'));
        }
    }
    return out;
}

// Events by name rather than position (schemas may differ after a resume): "k=v;…@offset:line".
QStringList namedEvents(const Drained &d)
{
    QStringList out;
    for (const auto &b : d.batches) {
        for (const auto &e : b.events) {
            QStringList values;
            for (std::size_t i = 0; i < e.after.size(); ++i) {
                if (!e.after[i].isNull())
                    values << QString::fromStdString(b.schema->columns()[i]) + QLatin1Char('=') +
                                  valueText(e.after[i]);
            }
            out << QStringLiteral("%1@%2:%3")
                       .arg(values.join(QLatin1Char(';')))
                       .arg(e.offset)
                       .arg(e.line);
        }
    }
    return out;
}

QStringList deadLetters(const std::vector<engine::DeadLetter> &dead)
{
    QStringList out;
    for (const auto &l : dead)
        out << QStringLiteral("%1@%2:%3 %4 [%5]")
                   .arg(QString::fromStdString(l.stream))
                   .arg(l.offset)
                   .arg(l.line)
                   .arg(l.error, l.payload);
    return out;
}

QList<qsizetype> batchSizes(const Drained &d)
{
    QList<qsizetype> out;
    for (const auto &b : d.batches)
        out << static_cast<qsizetype>(b.size());
    return out;
}

QList<engine::StepStatus> finishedAfter(qsizetype calls)
{
    QList<engine::StepStatus> out(calls - 1, engine::StepStatus::HaveMore);
    out << engine::StepStatus::Finished;
    return out;
}

QString columnsOf(const record::Batch &b)
{
    QStringList out;
    for (const auto &c : b.schema->columns())
        out << QString::fromStdString(c);
    return out.join(QLatin1Char(','));
}

QString canonical(const QString &path)
{
    return QFileInfo(path).canonicalFilePath();
}

} // namespace

class TestFileSources : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString fixture(const QByteArray &bytes, const char *suffix = "csv")
    {
        const QString path =
            m_dir.filePath(QStringLiteral("f%1.%2").arg(++m_files).arg(QLatin1String(suffix)));
        test::writeFile(path, bytes);
        return path;
    }

    // Resumes from the end position of every batch of a full read in turn; the records after
    // that point must be exactly those of the full read, none twice, none skipped.
    void checkResumeEverywhere(const char *type, const QString &path, const QByteArray &config)
    {
        auto full = makeSource(type, path, config);
        const Drained all = drain(*full);
        QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
        QVERIFY(all.batches.size() > 3);
        const QStringList allEvents = namedEvents(all);
        QList<qint64> allOffsets;
        for (const auto &b : all.batches) {
            for (const auto &e : b.events)
                allOffsets << e.offset;
        }
        const QStringList allDead = deadLetters(all.dead);
        qsizetype delivered = 0; // events in the batches up to and including the cut
        for (const record::Batch &cut : all.batches) {
            delivered += static_cast<qsizetype>(cut.size());
            QCOMPARE(cut.positions.size(), std::size_t(1));
            const std::int64_t at = cut.positions[0].offset;
            auto rest = makeSource(type, path, config);
            const Drained tail = drain(*rest, {cut.positions[0]});
            QVERIFY2(tail.error.isEmpty(), qPrintable(tail.error));
            QStringList expectedEvents;
            for (qsizetype i = 0; i < allEvents.size(); ++i) {
                if (allOffsets[i] >= at)
                    expectedEvents << allEvents[i];
            }
            QCOMPARE(namedEvents(tail), expectedEvents);
            // What was delivered before the cut and what comes after it make the whole file.
            QCOMPARE(allEvents.mid(0, delivered) + namedEvents(tail), allEvents);
            QStringList expectedDead;
            for (std::size_t i = 0; i < all.dead.size(); ++i) {
                if (all.dead[i].offset >= at)
                    expectedDead << allDead.at(static_cast<qsizetype>(i));
            }
            QCOMPARE(deadLetters(tail.dead), expectedDead);
            QCOMPARE(tail.batches.back().positions[0].offset, QFileInfo(path).size());
        }
    }

private slots:
    // --- csv.source ------------------------------------------------------------------------

    void csvRowsBatchesAndDeadLetters()
    {
        const QString path = fixture("id,name,amount\n1,a,1.5\n2,b\n3,,3\n4,\"d,d\",4\n5,e,5\n");
        const std::string stream = canonical(path).toStdString();
        auto source = makeSource("csv.source", path, "{\"batch_size\": 2}");
        const std::int64_t before = common::nowMicros();
        const Drained d = drain(*source);
        const std::int64_t after = common::nowMicros();
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(rows(d), (QStringList{QStringLiteral("1|a|1.5"), QStringLiteral("3|∅|3"),
                                       QStringLiteral("4|d,d|4"), QStringLiteral("5|e|5")}));
        QCOMPARE(namedEvents(d), (QStringList{QStringLiteral("id=1;name=a;amount=1.5@15:2"),
                                              QStringLiteral("id=3;amount=3@27:4"),
                                              QStringLiteral("id=4;name=d,d;amount=4@32:5"),
                                              QStringLiteral("id=5;name=e;amount=5@42:6")}));
        QCOMPARE(batchSizes(d), (QList<qsizetype>{2, 2, 0}));
        QCOMPARE(d.steps, finishedAfter(3));
        // One schema shared by every batch; positions just after the last record consumed.
        QList<qint64> ends;
        for (const record::Batch &b : d.batches) {
            QCOMPARE(b.schema.get(), d.batches[0].schema.get());
            QCOMPARE(b.stream, stream);
            QCOMPARE(b.positions.size(), std::size_t(1));
            QCOMPARE(b.positions[0].sourceNode, std::string("src"));
            QCOMPARE(b.positions[0].stream, stream);
            QCOMPARE(b.positions[0].cursor, std::string());
            QVERIFY(b.ingestTimeMicros >= before && b.ingestTimeMicros <= after);
            for (const record::ChangeEvent &e : b.events) {
                QCOMPARE(e.op, record::Op::Read);
                QCOMPARE(e.after[0].kind(), record::ValueKind::String);
            }
            ends << b.positions[0].offset;
        }
        QCOMPARE(ends, (QList<qint64>{32, 48, 48}));
        QCOMPARE(columnsOf(d.batches[0]), QStringLiteral("id,name,amount"));
        QCOMPARE(deadLetters(d.dead),
                 QStringList{QStringLiteral("%1@23:3 line 3: expected 3 fields, found 2 [2,b]")
                                 .arg(canonical(path))});
    }

    void csvBatchSizeRespected_data()
    {
        QTest::addColumn<int>("batchSize");
        QTest::addColumn<QList<qsizetype>>("sizes");
        QTest::newRow("1") << 1 << QList<qsizetype>{1, 1, 1, 1, 1, 1, 1, 0};
        QTest::newRow("3") << 3 << QList<qsizetype>{3, 3, 1};
        QTest::newRow("7: exactly the file") << 7 << QList<qsizetype>{7, 0};
        QTest::newRow("10") << 10 << QList<qsizetype>{7};
    }

    void csvBatchSizeRespected()
    {
        QFETCH(int, batchSize);
        QFETCH(QList<qsizetype>, sizes);
        const QString path = fixture("n\n1\n2\n3\n4\n5\n6\n7\n");
        auto source = makeSource("csv.source", path,
                                 QStringLiteral("{\"batch_size\": %1}").arg(batchSize).toUtf8());
        const Drained d = drain(*source);
        QCOMPARE(batchSizes(d), sizes);
        QCOMPARE(d.steps, finishedAfter(sizes.size()));
        QCOMPARE(rows(d).join(QLatin1Char(',')), QStringLiteral("1,2,3,4,5,6,7"));
    }

    void csvEmptyAsNull_data()
    {
        QTest::addColumn<bool>("emptyAsNull");
        QTest::addColumn<QString>("row");
        QTest::addColumn<QList<record::ValueKind>>("kinds");
        // Unquoted empty, quoted empty, a space, text.
        QTest::newRow("on: only the unquoted empty is null")
            << true << QStringLiteral("∅|| |x")
            << QList<record::ValueKind>{record::ValueKind::Null, record::ValueKind::String,
                                        record::ValueKind::String, record::ValueKind::String};
        QTest::newRow("off: empty text")
            << false << QStringLiteral("|| |x")
            << QList<record::ValueKind>{record::ValueKind::String, record::ValueKind::String,
                                        record::ValueKind::String, record::ValueKind::String};
    }

    void csvEmptyAsNull()
    {
        QFETCH(bool, emptyAsNull);
        QFETCH(QString, row);
        QFETCH(QList<record::ValueKind>, kinds);
        const QString path = fixture("a,b,c,d\n,\"\", ,x\n");
        auto source =
            makeSource("csv.source", path,
                       QStringLiteral("{\"empty_as_null\": %1}")
                           .arg(emptyAsNull ? QStringLiteral("true") : QStringLiteral("false"))
                           .toUtf8());
        const Drained d = drain(*source);
        QCOMPARE(rows(d), QStringList{row});
        QList<record::ValueKind> got;
        for (const record::Value &v : d.batches.at(0).events.at(0).after)
            got << v.kind();
        QCOMPARE(got, kinds);
    }

    void csvBadRecordsGoToDeadLetters()
    {
        // A quoted newline before the bad rows: their line numbers must count it.
        const QString path = fixture("a,b\n\"x\ny\",1\n1,2,3\n\r\n7\n\"open,2\nmore\n");
        auto source = makeSource("csv.source", path);
        const Drained d = drain(*source);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(rows(d), QStringList{QStringLiteral("x\ny|1")});
        const QString stream = canonical(path);
        QCOMPARE(
            deadLetters(d.dead),
            (QStringList{
                QStringLiteral("%1@12:4 line 4: expected 2 fields, found 3 [1,2,3]").arg(stream),
                QStringLiteral("%1@20:6 line 6: expected 2 fields, found 1 [7]").arg(stream),
                QStringLiteral("%1@22:7 line 7: unterminated quoted field [\"open,2\nmore]")
                    .arg(stream)}));
        QCOMPARE(d.batches.back().positions[0].offset, QFileInfo(path).size());
    }

    void csvResumeMatchesFullRead()
    {
        QByteArray text = "\xEF\xBB\xBF"
                          "id,note\r\n";
        for (int i = 0; i < 60; ++i) {
            if (i % 7 == 0)
                text += QByteArray::number(i) + ",\"two\nlines, \"\"quoted\"\"\"\r\n";
            else if (i % 11 == 0)
                text += QByteArray::number(i) + ",bad,row\n\n";
            else
                text += QByteArray::number(i) + ",plain\n";
        }
        text += "last,no newline";
        checkResumeEverywhere("csv.source", fixture(text), "{\"batch_size\": 4}");
    }

    void csvResumeEdgeCases()
    {
        const QString path = fixture("h\n1\n2\n");
        const std::string stream = canonical(path).toStdString();
        auto rowsFrom = [&](std::vector<record::SourcePosition> resume) {
            auto source = makeSource("csv.source", path);
            return rows(drain(*source, resume)).join(QLatin1Char(','));
        };
        QCOMPARE(rowsFrom({}), QStringLiteral("1,2"));
        // Another file's position, or one inside the header, changes nothing.
        QCOMPARE(rowsFrom({record::SourcePosition{"src", "/elsewhere.csv", 4}}),
                 QStringLiteral("1,2"));
        QCOMPARE(rowsFrom({record::SourcePosition{"src", stream, 1}}), QStringLiteral("1,2"));
        QCOMPARE(rowsFrom({record::SourcePosition{"src", stream, 4}}), QStringLiteral("2"));
        QCOMPARE(rowsFrom({record::SourcePosition{"src", stream, 6}}), QString());
    }

    void csvHeaderAndColumns_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("columns"); // or the error, %1 standing for the path
        QTest::addColumn<QString>("rows");
        QTest::newRow("header") << QByteArray("id,name\n1,a\n") << QByteArray("{}")
                                << QStringLiteral("id,name") << QStringLiteral("1|a");
        QTest::newRow("bom before the header")
            << QByteArray("\xEF\xBB\xBF"
                          "id,name\n1,a\n")
            << QByteArray("{}") << QStringLiteral("id,name") << QStringLiteral("1|a");
        QTest::newRow("columns replace the header")
            << QByteArray("id,name\n1,a\n") << QByteArray("{\"columns\": [\"k\", \"v\"]}")
            << QStringLiteral("k,v") << QStringLiteral("1|a");
        QTest::newRow("no header: the first line is data")
            << QByteArray("id,name\n1,a\n")
            << QByteArray("{\"header\": false, \"columns\": [\"k\", \"v\"]}")
            << QStringLiteral("k,v") << QStringLiteral("id|name,1|a");
        QTest::newRow("tab delimiter")
            << QByteArray("a\tb\n1\t2\n") << QByteArray("{\"delimiter\": \"\\\\t\"}")
            << QStringLiteral("a,b") << QStringLiteral("1|2");
        QTest::newRow("semicolon and single quote")
            << QByteArray("a;b\n'x;y';2\n")
            << QByteArray("{\"delimiter\": \";\", \"quote\": \"'\"}") << QStringLiteral("a,b")
            << QStringLiteral("x;y|2");
        QTest::newRow("header and columns disagree")
            << QByteArray("id,name\n") << QByteArray("{\"columns\": [\"a\", \"b\", \"c\"]}")
            << QStringLiteral(
                   "node 'src': %1: the header has 2 fields but 3 columns are configured")
            << QString();
        QTest::newRow("duplicate header name")
            << QByteArray("id,name,id\n") << QByteArray("{}")
            << QStringLiteral(
                   "node 'src': %1: column \"id\" appears twice; list distinct names under columns")
            << QString();
        QTest::newRow("empty file")
            << QByteArray() << QByteArray("{}")
            << QStringLiteral("node 'src': %1 is empty: expected a header line") << QString();
        QTest::newRow("no header, no columns")
            << QByteArray("1,2\n") << QByteArray("{\"header\": false}")
            << QStringLiteral("node 'src': no column names: turn on header or list the columns")
            << QString();
    }

    void csvHeaderAndColumns()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, config);
        QFETCH(QString, columns);
        QFETCH(QString, rows);
        const QString path = fixture(text);
        auto source = makeSource("csv.source", path, config);
        const Drained d = drain(*source);
        if (!d.error.isEmpty()) {
            QCOMPARE(d.error, columns.contains(QLatin1String("%1")) ? columns.arg(path) : columns);
            QVERIFY(rows.isEmpty());
            return;
        }
        QCOMPARE(columnsOf(d.batches.at(0)), columns);
        QCOMPARE(::rows(d).join(QLatin1Char(',')), rows);
    }

    void csvMissingFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("none.csv"));
        auto source = makeSource("csv.source", path);
        const Status s = source->open(context(), {});
        QVERIFY(!s);
        QCOMPARE(s.error().code, ErrorCode::NotFound);
        QCOMPARE(s.error().nodeId, QStringLiteral("src"));
        QCOMPARE(s.error().message,
                 QStringLiteral("cannot open %1: No such file or directory").arg(path));
    }

    void csvStreamIsTheCanonicalPath()
    {
        const QString path = fixture("h\n1\n");
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("sub")));
        const QString roundabout =
            m_dir.path() + QStringLiteral("/sub/../") + QFileInfo(path).fileName();
        auto source = makeSource("csv.source", roundabout);
        const Drained d = drain(*source);
        QCOMPARE(QString::fromStdString(d.batches.at(0).stream), canonical(path));
        QCOMPARE(QString::fromStdString(d.batches.at(0).positions.at(0).stream), canonical(path));
    }

    void csvProgressCountsBytesBehind()
    {
        const QString path = fixture("h\n1\n22\n");
        auto source = makeSource("csv.source", path, "{\"batch_size\": 1}");
        QVERIFY(source->open(context(), {}));
        QCOMPARE(source->progress().bytesBehind, qint64(7 - 2));
        std::vector<engine::DeadLetter> dead;
        record::Batch first;
        QVERIFY(source->next(first, dead));
        QCOMPARE(source->progress().bytesBehind, qint64(7 - 4));
        record::Batch second;
        QVERIFY(source->next(second, dead));
        QCOMPARE(source->progress().bytesBehind, qint64(0));
    }

    // --- jsonl.source ----------------------------------------------------------------------

    void jsonlValues_data()
    {
        QTest::addColumn<QByteArray>("literal");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("text");
        QTest::newRow("decimal keeps its text") << QByteArray("123.45") << "decimal"
                                                << "123.45";
        QTest::newRow("trailing zero kept") << QByteArray("10.50") << "decimal"
                                            << "10.50";
        QTest::newRow("exponent") << QByteArray("-0.5e3") << "decimal"
                                  << "-0.5e3";
        QTest::newRow("int") << QByteArray("7") << "int"
                             << "7";
        QTest::newRow("negative int") << QByteArray("-12") << "int"
                                      << "-12";
        QTest::newRow("int64 max") << QByteArray("9223372036854775807") << "int"
                                   << "9223372036854775807";
        QTest::newRow("beyond int64") << QByteArray("9223372036854775808") << "decimal"
                                      << "9223372036854775808";
        QTest::newRow("true") << QByteArray("true") << "bool"
                              << "true";
        QTest::newRow("false") << QByteArray("false") << "bool"
                               << "false";
        QTest::newRow("null") << QByteArray("null") << "null"
                              << "";
        QTest::newRow("escapes") << QByteArray("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\"") << "string"
                                 << QStringLiteral("q\"b\\s/\b\f\n\r\t");
        QTest::newRow("unicode escapes")
            << QByteArray("\"\\u00e9\\u20AC\\u0041\"") << "string" << QStringLiteral("é€A");
        QTest::newRow("surrogate pair")
            << QByteArray("\"\\ud83d\\ude00!\"") << "string" << QStringLiteral("😀!");
        QTest::newRow("raw utf-8")
            << QByteArray("\"naïve 😀\"") << "string" << QStringLiteral("naïve 😀");
        QTest::newRow("nested object kept as json") << QByteArray("{\"x\": [1, \"}\"]}") << "string"
                                                    << QStringLiteral("{\"x\": [1, \"}\"]}");
        QTest::newRow("array kept as json") << QByteArray("[1,2]") << "string"
                                            << "[1,2]";
    }

    void jsonlValues()
    {
        QFETCH(QByteArray, literal);
        QFETCH(QString, kind);
        QFETCH(QString, text);
        const QString path = fixture("{\"v\": " + literal + ", \"n\": 1}\n", "jsonl");
        auto source = makeSource("jsonl.source", path);
        const Drained d = drain(*source);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(deadLetters(d.dead), QStringList());
        const record::Value &v = d.batches.at(0).events.at(0).after.at(0);
        const std::string_view kindName = record::valueKindName(v.kind());
        QCOMPARE(QString::fromLatin1(kindName.data(), static_cast<qsizetype>(kindName.size())),
                 kind);
        QCOMPARE(QString::fromStdString(v.toText()), text);
    }

    void jsonlSchemaGrowsOnANewKey()
    {
        const QString path = fixture("{\"id\":1,\"amount\":10.50}\n"
                                     "{\"amount\":3,\"id\":2}\n"
                                     "{\"id\":3,\"amount\":1.00,\"note\":\"new\"}\n"
                                     "not json\n"
                                     "\n"
                                     "{\"amount\":2.25}\n"
                                     "{\"extra\":true,\"id\":5}\n",
                                     "jsonl");
        auto source = makeSource("jsonl.source", path);
        const Drained d = drain(*source);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(batchSizes(d), (QList<qsizetype>{2, 2, 1}));
        QCOMPARE(d.steps, finishedAfter(3));
        QCOMPARE(columnsOf(d.batches[0]), QStringLiteral("id,amount"));
        QCOMPARE(columnsOf(d.batches[1]), QStringLiteral("id,amount,note"));
        QCOMPARE(columnsOf(d.batches[2]), QStringLiteral("id,amount,note,extra"));
        QCOMPARE(rows(d), (QStringList{QStringLiteral("1|10.50"), QStringLiteral("2|3"),
                                       QStringLiteral("3|1.00|new"), QStringLiteral("∅|2.25|∅"),
                                       QStringLiteral("5|∅|∅|true")}));
        QCOMPARE(d.batches[0].events[0].after[1].kind(), record::ValueKind::Decimal);
        QCOMPARE(d.batches[0].events[1].after[1].kind(), record::ValueKind::Int);
        // A batch ends where the record that needs a wider schema starts.
        QCOMPARE(d.batches[0].positions[0].offset, d.batches[1].events[0].offset);
        QCOMPARE(d.batches[1].positions[0].offset, d.batches[2].events[0].offset);
        QCOMPARE(d.batches[2].positions[0].offset, QFileInfo(path).size());
        QCOMPARE(d.batches[1].events[1].line, qint64(6));
        QCOMPARE(d.batches[2].events[0].line, qint64(7));
        QCOMPARE(deadLetters(d.dead),
                 QStringList{QStringLiteral("%1@80:4 line 4, column 1: expected '{' (each line "
                                            "must be a JSON object) [not json]")
                                 .arg(canonical(path))});
    }

    void jsonlMalformedLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("not an object")
            << QByteArray("[1]")
            << "line 3, column 1: expected '{' (each line must be a JSON object)";
        QTest::newRow("trailing comma")
            << QByteArray("{\"a\":1,}") << "line 3, column 8: expected a quoted key";
        QTest::newRow("missing colon")
            << QByteArray("{\"a\" 1}") << "line 3, column 6: expected ':' after the key";
        QTest::newRow("leading zero")
            << QByteArray("{\"a\":01}") << "line 3, column 6: invalid number";
        QTest::newRow("unterminated string")
            << QByteArray("{\"a\":\"abc") << "line 3, column 10: unterminated string";
        QTest::newRow("lone surrogate") << QByteArray("{\"a\":\"\\ud800x\"}")
                                        << "line 3, column 13: unpaired surrogate in \\u escape";
        QTest::newRow("text after the object")
            << QByteArray("{\"a\":1} x") << "line 3, column 9: unexpected text after the object";
        QTest::newRow("crlf line")
            << QByteArray("{\"a\":tru}\r") << "line 3, column 6: invalid value";
    }

    void jsonlMalformedLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, error);
        const QString path = fixture("{\"a\":1}\n\n" + line + "\n{\"a\":2}\n", "jsonl");
        auto source = makeSource("jsonl.source", path);
        const Drained d = drain(*source);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(rows(d), (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
        QByteArray payload = line;
        if (payload.endsWith('\r'))
            payload.chop(1);
        QCOMPARE(deadLetters(d.dead),
                 QStringList{QStringLiteral("%1@9:3 %2 [%3]")
                                 .arg(canonical(path), error, QString::fromUtf8(payload))});
    }

    void jsonlFixedColumns()
    {
        const QString path =
            fixture("{\"a\":1,\"b\":2}\n{\"b\":4,\"a\":3}\n{\"a\":5,\"c\":6}\n", "jsonl");
        auto source = makeSource("jsonl.source", path, "{\"columns\": [\"b\"], \"batch_size\": 2}");
        const Drained d = drain(*source);
        QCOMPARE(rows(d),
                 (QStringList{QStringLiteral("2"), QStringLiteral("4"), QStringLiteral("∅")}));
        QCOMPARE(batchSizes(d), (QList<qsizetype>{2, 1}));
        for (const record::Batch &b : d.batches)
            QCOMPARE(columnsOf(b), QStringLiteral("b"));
    }

    void jsonlBatchSizeRespected()
    {
        const QString path =
            fixture("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n", "jsonl");
        auto source = makeSource("jsonl.source", path, "{\"batch_size\": 2}");
        const Drained d = drain(*source);
        QCOMPARE(batchSizes(d), (QList<qsizetype>{2, 2, 1}));
        QCOMPARE(d.steps, finishedAfter(3));
        QCOMPARE(rows(d).join(QLatin1Char(',')), QStringLiteral("1,2,3,4,5"));
    }

    void jsonlResumeMatchesFullRead()
    {
        QByteArray text = "\xEF\xBB\xBF";
        for (int i = 0; i < 40; ++i) {
            const QByteArray n = QByteArray::number(i);
            if (i % 9 == 4)
                text += "{\"id\":" + n + ",\"k" + n + "\":\"new key\"}\r\n";
            else if (i % 7 == 3)
                text += "{broken " + n + "\n\n";
            else
                text += "{\"id\":" + n + ",\"amount\":" + n + ".50}\n";
        }
        text += "{\"id\":\"last\"}";
        checkResumeEverywhere("jsonl.source", fixture(text, "jsonl"), "{\"batch_size\": 3}");
        checkResumeEverywhere("jsonl.source", fixture(text, "jsonl"),
                              "{\"batch_size\": 3, \"columns\": [\"amount\", \"id\"]}");
    }

    void jsonlMissingFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("none.jsonl"));
        auto source = makeSource("jsonl.source", path);
        const Status s = source->open(context(), {});
        QVERIFY(!s);
        QCOMPARE(s.error().code, ErrorCode::NotFound);
        QCOMPARE(s.error().nodeId, QStringLiteral("src"));
        QCOMPARE(s.error().message,
                 QStringLiteral("cannot open %1: No such file or directory").arg(path));
    }

    void jsonlProgressCountsBytesBehind()
    {
        const QString path = fixture("{\"a\":1}\n{\"a\":2}\n", "jsonl");
        auto source = makeSource("jsonl.source", path, "{\"batch_size\": 1}");
        QVERIFY(source->open(context(), {}));
        QCOMPARE(source->progress().bytesBehind, qint64(16));
        record::Batch b;
        std::vector<engine::DeadLetter> dead;
        QVERIFY(source->next(b, dead));
        QCOMPARE(source->progress().bytesBehind, qint64(8));
    }

    // --- registration ----------------------------------------------------------------------

    void nodeTypes_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        // key:kind:default[:min-max][:required] per field
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("csv") << QStringLiteral("csv.source") << QStringLiteral("CSV file")
                             << QStringList{QStringLiteral("path:path::required"),
                                            QStringLiteral("delimiter:string:\",\""),
                                            QStringLiteral("quote:string:\"\\\"\""),
                                            QStringLiteral("header:bool:true"),
                                            QStringLiteral("columns:columns:"),
                                            QStringLiteral("empty_as_null:bool:true"),
                                            QStringLiteral("batch_size:int:10000:1-1000000")};
        QTest::newRow("jsonl") << QStringLiteral("jsonl.source")
                               << QStringLiteral("JSON Lines file")
                               << QStringList{QStringLiteral("path:path::required"),
                                              QStringLiteral("columns:columns:"),
                                              QStringLiteral("batch_size:int:10000:1-1000000")};
    }

    void nodeTypes()
    {
        QFETCH(QString, id);
        QFETCH(QString, name);
        QFETCH(QStringList, fields);
        const model::NodeType *t = fileTypes().find(id);
        QVERIFY(t);
        QCOMPARE(t->displayName, name);
        QCOMPARE(t->category, model::NodeCategory::Source);
        QCOMPARE(t->inputs.size(), std::size_t(0));
        QCOMPARE(t->outputs.size(), std::size_t(1));
        QCOMPARE(t->outputs[0].name, model::recordsOut()[0].name);
        QCOMPARE(t->outputs[0].dataType, model::recordsOut()[0].dataType);
        QVERIFY(t->makeSource && !t->makeTransform && !t->makeSink);
        QStringList got;
        for (const model::ConfigField &f : t->schema.fields()) {
            QVERIFY2(!f.label.isEmpty() && !f.help.isEmpty(), qPrintable(f.key));
            QString text = f.key + QLatin1Char(':') + model::fieldKindName(f.kind) +
                           QLatin1Char(':') +
                           (f.defaultValue.isUndefined() || f.defaultValue.isNull()
                                ? QString()
                                : QString::fromUtf8(QJsonDocument(QJsonArray{f.defaultValue})
                                                        .toJson(QJsonDocument::Compact)
                                                        .mid(1)
                                                        .chopped(1)));
            if (f.minimum || f.maximum)
                text += QStringLiteral(":%1-%2")
                            .arg(static_cast<qint64>(f.minimum.value_or(0)))
                            .arg(static_cast<qint64>(f.maximum.value_or(0)));
            if (f.required)
                text += QStringLiteral(":required");
            got << text;
        }
        QCOMPARE(got, fields);
    }

    void csvConfigChecks_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QStringList>("problems");
        QTest::newRow("defaults") << QByteArray("{}") << QStringList{};
        QTest::newRow("tab") << QByteArray("{\"delimiter\": \"\\\\t\"}") << QStringList{};
        QTest::newRow("two characters")
            << QByteArray("{\"delimiter\": \";;\"}")
            << QStringList{QStringLiteral(
                   "delimiter: expected one ASCII character (not a line break), or \\t for tab")};
        QTest::newRow("newline delimiter")
            << QByteArray("{\"delimiter\": \"\\n\"}")
            << QStringList{QStringLiteral(
                   "delimiter: expected one ASCII character (not a line break), or \\t for tab")};
        QTest::newRow("empty quote")
            << QByteArray("{\"quote\": \"\"}")
            << QStringList{
                   QStringLiteral("quote: expected one ASCII character (not a line break)")};
        QTest::newRow("quote equals delimiter")
            << QByteArray("{\"delimiter\": \";\", \"quote\": \";\"}")
            << QStringList{QStringLiteral("quote: the quote must differ from the delimiter")};
        QTest::newRow("no header, no columns")
            << QByteArray("{\"header\": false}")
            << QStringList{QStringLiteral("columns: without a header line, list the column names")};
        QTest::newRow("no header, columns")
            << QByteArray("{\"header\": false, \"columns\": [\"a\"]}") << QStringList{};
    }

    void csvConfigChecks()
    {
        QFETCH(QByteArray, config);
        QFETCH(QStringList, problems);
        const model::NodeType *t = fileTypes().find(QStringLiteral("csv.source"));
        QJsonObject values = json(config);
        values.insert(QStringLiteral("path"), QStringLiteral("x.csv"));
        QStringList got;
        for (const model::FieldProblem &p : t->checkConfig(t->schema.withDefaults(values)))
            got << p.field + QStringLiteral(": ") + p.message;
        QCOMPARE(got, problems);
    }
};

QTEST_GUILESS_MAIN(TestFileSources)
#include "tst_file_sources.moc"
