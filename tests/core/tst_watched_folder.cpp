#include "connectors/file/watched_folder_source.h"
#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace weir;
using connectors::file::WatchedFolderSource;

namespace {

std::unique_ptr<engine::SourceNode> folderSource(const QString &folder, int settleMs)
{
    const auto *t = model::NodeTypeRegistry::builtin().find(QStringLiteral("folder.source"));
    QJsonObject config{{QStringLiteral("folder"), folder},
                       {QStringLiteral("settle_ms"), settleMs},
                       {QStringLiteral("poll_ms"), 50}};
    return t->makeSource(
        model::NodeConfig(QStringLiteral("drop"), {}, t->schema.withDefaults(config)));
}

struct Collected
{
    QStringList ids; // first column of every record, in order
    std::vector<record::SourcePosition> positions;
    QString error;
};

// Runs the source in once mode until it finishes.
Collected collect(engine::SourceNode &source,
                  const std::vector<record::SourcePosition> &resume = {})
{
    Collected out;
    std::atomic<bool> stop{false};
    engine::NodeContext ctx{QStringLiteral("p"), QStringLiteral("drop"), 1, &stop, nullptr, true};
    if (Status s = source.open(ctx, resume); !s) {
        out.error = s.error().describe();
        return out;
    }
    for (int steps = 0; steps < 10000; ++steps) {
        record::Batch batch;
        std::vector<engine::DeadLetter> dead;
        auto step = source.next(batch, dead);
        if (!step) {
            out.error = step.error().describe();
            return out;
        }
        for (const auto &e : batch.events)
            out.ids << QString::fromStdString(e.after[0].toText());
        for (const auto &p : batch.positions)
            out.positions.push_back(p);
        if (step.value() == engine::StepStatus::Finished)
            return out;
    }
    out.error = QStringLiteral("never finished");
    return out;
}

} // namespace

class TestWatchedFolder : public QObject
{
    Q_OBJECT

private slots:
    void temporaryNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("temporary");
        QTest::newRow("plain") << "orders.csv" << false;
        QTest::newRow("hidden") << ".orders.csv" << true;
        QTest::newRow("tmp") << "orders.csv.tmp" << true;
        QTest::newRow("part") << "orders.csv.PART" << true;
        QTest::newRow("download") << "orders.csv.crdownload" << true;
        QTest::newRow("backup") << "orders.csv~" << true;
    }

    void temporaryNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, temporary);
        QCOMPARE(WatchedFolderSource::isTemporaryName(name), temporary);
    }

    void readsCompleteFilesInNameOrder()
    {
        QTemporaryDir dir;
        test::writeFile(dir.filePath(QStringLiteral("b.csv")), "id\n3\n4\n");
        test::writeFile(dir.filePath(QStringLiteral("a.csv")), "id\n1\n2\n");
        test::writeFile(dir.filePath(QStringLiteral("c.csv.part")), "id\n99\n");
        test::writeFile(dir.filePath(QStringLiteral("notes.txt")), "id\n98\n");
        auto source = folderSource(dir.path(), 100);
        const Collected got = collect(*source);
        QVERIFY2(got.error.isEmpty(), qPrintable(got.error));
        QCOMPARE(got.ids, (QStringList{"1", "2", "3", "4"}));
    }

    void fileStillBeingWrittenIsNotReadEarly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("growing.csv"));
        test::writeFile(path, "id\n");
        std::atomic<qint64> writerDoneAt{0};
        QElapsedTimer clock;
        clock.start();
        // A slow writer: a row every 80 ms, well inside the 400 ms settle time.
        std::thread writer([&] {
            QFile f(path);
            if (!f.open(QIODevice::Append))
                return;
            for (int i = 0; i < 10; ++i) {
                f.write(QByteArray::number(i) + "\n");
                f.flush();
                std::this_thread::sleep_for(std::chrono::milliseconds(80));
            }
            writerDoneAt = clock.elapsed();
        });
        auto source = folderSource(dir.path(), 400);
        std::atomic<bool> stop{false};
        engine::NodeContext ctx{
            QStringLiteral("p"), QStringLiteral("drop"), 1, &stop, nullptr, true};
        QVERIFY(source->open(ctx, {}));
        qint64 firstReadAt = -1;
        QStringList ids;
        for (int steps = 0; steps < 1000; ++steps) {
            record::Batch batch;
            std::vector<engine::DeadLetter> dead;
            auto step = source->next(batch, dead);
            QVERIFY(step);
            if (!batch.empty() && firstReadAt < 0)
                firstReadAt = clock.elapsed();
            for (const auto &e : batch.events)
                ids << QString::fromStdString(e.after[0].toText());
            if (step.value() == engine::StepStatus::Finished)
                break;
        }
        writer.join();
        QCOMPARE(ids, (QStringList{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
        QVERIFY2(firstReadAt >= writerDoneAt.load(),
                 qPrintable(QStringLiteral("read at %1 ms, writer done at %2 ms")
                                .arg(firstReadAt)
                                .arg(writerDoneAt.load())));
    }

    void restartRemembersWhatWasTaken()
    {
        QTemporaryDir dir;
        test::writeFile(dir.filePath(QStringLiteral("a.csv")), "id\n1\n2\n");
        auto first = folderSource(dir.path(), 0);
        const Collected before = collect(*first);
        QCOMPARE(before.ids, (QStringList{"1", "2"}));
        QVERIFY(!before.positions.empty());
        // A new file arrives; the committed positions of the first run come back on restart.
        test::writeFile(dir.filePath(QStringLiteral("b.csv")), "id\n3\n");
        auto second = folderSource(dir.path(), 0);
        const Collected after = collect(*second, {before.positions.back()});
        QCOMPARE(after.ids, (QStringList{"3"}));
        // Rows appended to a file already read are picked up from where it ended.
        QFile a(dir.filePath(QStringLiteral("a.csv")));
        QVERIFY(a.open(QIODevice::Append));
        a.write("5\n");
        a.close();
        auto third = folderSource(dir.path(), 0);
        std::vector<record::SourcePosition> committed{before.positions.back(),
                                                      after.positions.back()};
        QCOMPARE(collect(*third, committed).ids, (QStringList{"5"}));
    }

    void rowsAppendedWhileRunningAreRead()
    {
        // The README's promise, without a restart: a file read to its end is watched still.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.csv"));
        test::writeFile(path, "id\n1\n2\n");
        auto source = folderSource(dir.path(), 100);
        std::atomic<bool> stop{false};
        engine::NodeContext ctx{
            QStringLiteral("p"), QStringLiteral("drop"), 1, &stop, nullptr, false};
        QVERIFY(source->open(ctx, {}));
        QStringList ids;
        std::int64_t reached = 0;
        // Reads (a poll at a time) until `want` rows came, or 20 s passed.
        auto readUntil = [&](int want) {
            QElapsedTimer clock;
            clock.start();
            while (ids.size() < want && clock.elapsed() < 20000) {
                record::Batch batch;
                std::vector<engine::DeadLetter> dead;
                auto step = source->next(batch, dead);
                if (!step || step.value() == engine::StepStatus::Finished)
                    return;
                for (const auto &e : batch.events)
                    ids << QString::fromStdString(e.after[0].toText());
                for (const auto &p : batch.positions)
                    reached = p.offset;
            }
        };
        readUntil(2);
        QCOMPARE(ids, (QStringList{"1", "2"}));
        QFile a(path);
        QVERIFY(a.open(QIODevice::Append));
        a.write("3\n4\n");
        a.close();
        readUntil(4);
        QCOMPARE(ids, (QStringList{"1", "2", "3", "4"}));
        QCOMPARE(reached, QFileInfo(path).size());
    }

    void missingFolderIsNamed()
    {
        auto source = folderSource(QStringLiteral("/nonexistent/weir-drop"), 0);
        const Collected got = collect(*source);
        QCOMPARE(got.error,
                 QStringLiteral("node 'drop': folder /nonexistent/weir-drop does not exist"));
    }
};

QTEST_GUILESS_MAIN(TestWatchedFolder)
#include "tst_watched_folder.moc"
