#include "model/pipeline_json.h"
#include "support/test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::model;

class TestPipelineJson : public QObject
{
    Q_OBJECT

private slots:
    void exampleIsCanonical()
    {
        // The shipped example is exactly what Weir writes: opening and saving changes nothing.
        const QString path =
            weir::test::sourceDir() + QStringLiteral("/resources/examples/orders.weir.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        const PipelineParse parsed = parsePipeline(text, path);
        QVERIFY(parsed.problems.empty());
        QCOMPARE(serializePipeline(*parsed.pipeline), text);
    }

    void roundTripKeepsEverything()
    {
        Pipeline p;
        p.name = QStringLiteral("round \"trip\"");
        p.nodes.push_back(NodeSpec{QStringLiteral("a"), QStringLiteral("csv.source"),
                                   QStringLiteral("Äpfel"),
                                   QJsonObject{{QStringLiteral("path"), QStringLiteral("x.csv")},
                                               {QStringLiteral("batch_size"), 500}},
                                   12.5, -3});
        p.nodes.push_back(NodeSpec{
            QStringLiteral("b"),
            QStringLiteral("sqlite.sink"),
            {},
            QJsonObject{{QStringLiteral("key"), QJsonArray{QStringLiteral("id")}},
                        {QStringLiteral("nested"),
                         QJsonObject{{QStringLiteral("z"), 1},
                                     {QStringLiteral("a"),
                                      QJsonArray{QJsonObject{{QStringLiteral("k"), true}}}}}}},
            300,
            0});
        p.edges.push_back(EdgeSpec{PortRef::parse(QStringLiteral("a.out")),
                                   PortRef::parse(QStringLiteral("b.in"))});
        p.settings.insert(QStringLiteral("owner"), QStringLiteral("data team"));

        const QByteArray once = serializePipeline(p);
        const PipelineParse parsed = parsePipeline(once, QStringLiteral("mem"));
        QVERIFY(parsed.problems.empty());
        const Pipeline &q = *parsed.pipeline;
        QCOMPARE(q.name, p.name);
        QCOMPARE(q.nodes.size(), std::size_t(2));
        QCOMPARE(q.nodes[0].label, QStringLiteral("Äpfel"));
        QCOMPARE(q.nodes[0].x, 12.5);
        QCOMPARE(q.nodes[0].y, -3.0);
        QCOMPARE(q.nodes[1].config, p.nodes[1].config);
        QCOMPARE(q.edges, p.edges);
        QCOMPARE(q.settings, p.settings);
        QCOMPARE(serializePipeline(q), once);
    }

    void keyOrderIsFixed()
    {
        Pipeline p;
        p.name = QStringLiteral("k");
        p.nodes.push_back(NodeSpec{QStringLiteral("n"), QStringLiteral("t"), {}, {}, 0, 0});
        const QByteArray text = serializePipeline(p);
        QCOMPARE(
            text,
            QByteArray(
                "{\n  \"format\": 1,\n  \"name\": \"k\",\n  \"nodes\": [\n    {\n"
                "      \"id\": \"n\",\n      \"type\": \"t\",\n      \"position\": [0, 0],\n"
                "      \"config\": {}\n    }\n  ],\n  \"edges\": [],\n  \"settings\": {}\n}\n"));
    }

    void saveIsAtomicAndStable()
    {
        QTemporaryDir dir;
        Pipeline p;
        p.name = QStringLiteral("s");
        const QString path = dir.filePath(QStringLiteral("s.weir.json"));
        QVERIFY(savePipelineFile(p, path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray first = f.readAll();
        f.close();
        QVERIFY(savePipelineFile(*loadPipelineFile(path).pipeline, path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), first);
        QVERIFY(!savePipelineFile(p, dir.filePath(QStringLiteral("missing/dir/x.weir.json"))));
    }
};

QTEST_GUILESS_MAIN(TestPipelineJson)
#include "tst_pipeline_json.moc"
