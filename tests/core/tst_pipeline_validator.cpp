#include "model/pipeline_validator.h"

#include <QTemporaryDir>
#include <QTest>

using namespace weir::model;

// Data tables with raw string literals live in *_cases.cpp: Qt 6.4 moc cannot lex them.
const char *validatorBasePipeline();
void addLocatedProblemCases();
void addGarbageCases();
QByteArray portMismatchPipeline();

namespace {

QStringList problemsOf(const QByteArray &text, const NodeTypeRegistry &registry)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.weir.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {QStringLiteral("cannot write fixture")};
    f.write(text);
    f.close();
    QStringList out;
    for (const Problem &p : loadValidPipeline(path, registry).problems)
        out << p.toString().replace(path, QStringLiteral("t.weir.json"));
    return out;
}

} // namespace

class TestPipelineValidator : public QObject
{
    Q_OBJECT

private slots:
    void baseIsValid()
    {
        QCOMPARE(problemsOf(validatorBasePipeline(), NodeTypeRegistry::builtin()), QStringList());
    }

    void locatedProblems_data() { addLocatedProblemCases(); }

    void locatedProblems()
    {
        QFETCH(QString, find);
        QFETCH(QString, replace);
        QFETCH(QStringList, expected);
        QByteArray text(validatorBasePipeline());
        QVERIFY2(text.contains(find.toUtf8()), qPrintable(find));
        text.replace(find.toUtf8(), replace.toUtf8());
        QCOMPARE(problemsOf(text, NodeTypeRegistry::builtin()), expected);
    }

    void portTypeMismatch()
    {
        NodeTypeRegistry registry;
        NodeType files;
        files.id = QStringLiteral("folder.list");
        files.category = NodeCategory::Source;
        files.outputs = {PortSpec{QStringLiteral("out"), QStringLiteral("files")}};
        registry.registerType(files);
        NodeType sink;
        sink.id = QStringLiteral("rows.sink");
        sink.category = NodeCategory::Sink;
        sink.inputs = recordsIn();
        registry.registerType(sink);
        const QByteArray text = portMismatchPipeline();
        QCOMPARE(problemsOf(text, registry),
                 QStringList{"t.weir.json:3: field 'edges': a.out -> b.in: port types differ: "
                             "a.out carries files, b.in takes records"});
    }

    void neverCrashesOnGarbage_data() { addGarbageCases(); }

    void neverCrashesOnGarbage()
    {
        QFETCH(QByteArray, text);
        const QStringList problems = problemsOf(text, NodeTypeRegistry::builtin());
        QVERIFY(!problems.isEmpty());
        for (const QString &p : problems)
            QVERIFY2(p.startsWith(QLatin1String("t.weir.json")), qPrintable(p));
    }
};

QTEST_GUILESS_MAIN(TestPipelineValidator)
#include "tst_pipeline_validator.moc"
