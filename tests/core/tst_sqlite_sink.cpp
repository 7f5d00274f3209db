#include "common/sqlite_db.h"
#include "common/time_format.h"
#include "connectors/sqlite/sqlite_sink.h"
#include "connectors/sqlite/wal_checkpointer.h"
#include "engine/node.h"
#include "state/state_store.h"
#include "support/sink_events.h"
#include "support/test_support.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <optional>
#include <thread>

using namespace weir;
using record::Op;
using record::Value;
using test::sinkBatch;
using test::sinkEvent;
using test::writeAndCommit;

namespace {

// A WAL database with 4 KiB pages and a table of 1 KiB blobs; each commit() adds 40 rows,
// about ten pages of log.
struct WalWriter
{
    common::SqliteDb db;
    int rows = 0;

    static std::optional<WalWriter> open(const QString &path)
    {
        auto db = common::SqliteDb::open(path);
        if (!db || !db->exec("PRAGMA page_size=4096; PRAGMA journal_mode=WAL; "
                             "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB)"))
            return std::nullopt;
        return WalWriter{std::move(db.value())};
    }

    bool commit()
    {
        if (!db.exec("BEGIN"))
            return false;
        for (int i = 0; i < 40; ++i, ++rows) {
            if (!db.exec("INSERT INTO t VALUES (" + std::to_string(rows) + ", zeroblob(1024))"))
                return false;
        }
        return db.exec("COMMIT").ok();
    }
};

} // namespace

class TestSqliteSink : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<state::StateStore> m_store;
    std::atomic<bool> m_stop{false};

    std::unique_ptr<connectors::sqlite::SqliteSink>
    openSink(const QString &db, bool softDelete = false, bool upsert = true,
             const QString &node = QStringLiteral("sink"), const std::string &table = "orders")
    {
        connectors::sqlite::SqliteSinkOptions o;
        o.path = db;
        o.table = table;
        o.upsert = upsert;
        o.keyColumns = {"id"};
        o.orderBy = upsert ? "updated_at" : "";
        o.softDelete = softDelete;
        auto sink = std::make_unique<connectors::sqlite::SqliteSink>(o);
        engine::NodeContext ctx{QStringLiteral("p"), node, 1, &m_stop, m_store.get()};
        const Status s = sink->open(ctx);
        if (!s)
            qWarning("%s", qPrintable(s.error().message));
        return sink;
    }

private slots:
    void initTestCase()
    {
        auto store = state::StateStore::open(m_dir.filePath(QStringLiteral("state.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
    }

    void upsertLastWriteWins()
    {
        const QString db = m_dir.filePath(QStringLiteral("lww.db"));
        auto sink = openSink(db);
        auto w = writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0),
                              sinkEvent(Op::Create, 2, "new", "2024-01-01T00:00:01Z", 1),
                              sinkEvent(Op::Update, 1, "paid", "2024-01-01T00:00:03Z", 2)},
                             3));
        QVERIFY(w);
        QCOMPARE(w->written, std::int64_t(3));
        // An older version arriving late never overwrites a newer one.
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Update, 1, "stale", "2024-01-01T00:00:02Z", 3)}, 4)));
        QCOMPARE(test::queryText(db, QStringLiteral("SELECT status FROM orders WHERE id = 1")),
                 QStringLiteral("paid"));
        QCOMPARE(test::queryText(db, QStringLiteral("SELECT updated_at FROM orders WHERE id = 1")),
                 QStringLiteral("2024-01-01T00:00:03.000Z"));
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(2));
        // The positions were committed with the data.
        auto positions = sink->committedPositions();
        QVERIFY(positions);
        QCOMPARE(positions->size(), std::size_t(1));
        QCOMPARE(positions->front(), (record::SourcePosition{"src", "s", 4}));
        // The key column became the rowid.
        QCOMPARE(
            test::queryInt(db, QStringLiteral("SELECT count(*) FROM pragma_table_info('orders') "
                                              "WHERE pk = 1 AND type = 'INTEGER'")),
            qint64(1));
    }

    void newDatabasesGetLargePagesExistingOnesKeepTheirs()
    {
        const QString fresh = m_dir.filePath(QStringLiteral("pages.db"));
        auto sink = openSink(fresh);
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0)}, 1)));
        QCOMPARE(test::queryInt(fresh, QStringLiteral("PRAGMA page_size")), qint64(16384));
        // A database someone else made keeps its page size and its rows.
        const QString existing = m_dir.filePath(QStringLiteral("theirs.db"));
        QVERIFY(common::SqliteDb::open(existing)->exec(
            "PRAGMA page_size=4096; CREATE TABLE other(x); INSERT INTO other VALUES (1);"));
        auto theirs = openSink(existing);
        QVERIFY(writeAndCommit(
            *theirs, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0)}, 1)));
        QCOMPARE(test::queryInt(existing, QStringLiteral("PRAGMA page_size")), qint64(4096));
        QCOMPARE(test::queryInt(existing, QStringLiteral("SELECT count(*) FROM other")), qint64(1));
        QCOMPARE(test::queryInt(existing, QStringLiteral("SELECT count(*) FROM orders")),
                 qint64(1));
    }

    void deletesHardAndSoft()
    {
        const QString hard = m_dir.filePath(QStringLiteral("hard.db"));
        auto sink = openSink(hard);
        QVERIFY(writeAndCommit(*sink,
                               sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0),
                                          sinkEvent(Op::Create, 2, "b", "2024-01-01T00:00:01Z", 1),
                                          sinkEvent(Op::Delete, 1, "a", "2024-01-01T00:00:01Z", 2)},
                                         3)));
        QCOMPARE(test::queryInt(hard, QStringLiteral("SELECT count(*) FROM orders")), qint64(1));

        const QString soft = m_dir.filePath(QStringLiteral("soft.db"));
        auto softSink = openSink(soft, true);
        QVERIFY(writeAndCommit(*softSink,
                               sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0),
                                          sinkEvent(Op::Delete, 1, "a", "2024-01-01T00:00:01Z", 1)},
                                         2)));
        QCOMPARE(test::queryInt(soft, QStringLiteral("SELECT _deleted FROM orders WHERE id = 1")),
                 qint64(1));
        // Coming back to life clears the flag.
        QVERIFY(writeAndCommit(
            *softSink,
            sinkBatch({sinkEvent(Op::Update, 1, "back", "2024-01-01T00:00:05Z", 2)}, 3)));
        QCOMPARE(test::queryInt(soft, QStringLiteral("SELECT _deleted FROM orders WHERE id = 1")),
                 qint64(0));
    }

    void appendKeepsEveryVersion()
    {
        const QString db = m_dir.filePath(QStringLiteral("append.db"));
        auto sink = openSink(db, false, false);
        QVERIFY(writeAndCommit(*sink,
                               sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0),
                                          sinkEvent(Op::Update, 1, "b", "2024-01-01T00:00:02Z", 1)},
                                         2)));
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(2));
    }

    void rejectedRowsGoToTheDlqInTheSameCommit()
    {
        const QString db = m_dir.filePath(QStringLiteral("reject.db"));
        {
            auto setup = common::SqliteDb::open(db);
            QVERIFY(setup);
            QVERIFY(setup->exec("CREATE TABLE orders(id INTEGER PRIMARY KEY, status TEXT NOT NULL, "
                                "updated_at TEXT)"));
        }
        auto sink = openSink(db, false, true, QStringLiteral("strict"));
        auto w = writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "ok", "2024-01-01T00:00:01Z", 10),
                              sinkEvent(Op::Create, 2, nullptr, "2024-01-01T00:00:01Z", 11)},
                             12));
        QVERIFY(w);
        QCOMPARE(w->written, std::int64_t(1));
        QCOMPARE(w->rejected, std::int64_t(1));
        auto dead = m_store->deadLetters(
            state::DeadLetterFilter{QStringLiteral("p"), QStringLiteral("strict"), {}}, 0);
        QVERIFY(dead);
        QCOMPARE(dead->size(), std::size_t(1));
        QCOMPARE(dead->front().offset, qint64(11));
        QVERIFY2(dead->front().error.contains(
                     QLatin1String("NOT NULL constraint failed: orders.status")),
                 qPrintable(dead->front().error));
        QCOMPARE(
            dead->front().payload,
            QStringLiteral(R"({"id":2,"status":null,"updated_at":"2024-01-01T00:00:01.000Z"})"));
    }

    void newColumnsAreAdded()
    {
        const QString db = m_dir.filePath(QStringLiteral("grow.db"));
        auto sink = openSink(db);
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0)}, 1)));
        record::Batch wider;
        wider.schema = record::makeSchema({"id", "status", "updated_at", "note"});
        record::ChangeEvent e;
        e.after = {Value::fromInt(2), Value::fromString("b"),
                   Value::fromString("2024-01-01T00:00:02.000Z"), Value::fromString("hello")};
        wider.events.push_back(e);
        wider.positions = {record::SourcePosition{"src", "s", 2}};
        QVERIFY(writeAndCommit(*sink, wider));
        QCOMPARE(test::queryText(db, QStringLiteral("SELECT note FROM orders WHERE id = 2")),
                 QStringLiteral("hello"));
    }

    void groupCommitIsAllOrNothing()
    {
        const QString db = m_dir.filePath(QStringLiteral("group.db"));
        auto sink = openSink(db);
        QVERIFY(
            sink->write(sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0)}, 1)));
        QVERIFY(
            sink->write(sinkBatch({sinkEvent(Op::Create, 2, "b", "2024-01-01T00:00:01Z", 1)}, 2)));
        // Staged, not committed: another connection sees no positions yet.
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM _weir_offsets")),
                 qint64(0));
        QVERIFY(sink->flush());
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(2));
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT \"offset\" FROM _weir_offsets")),
                 qint64(2));

        // A failure after other batches joined the transaction loses them all, so it is not
        // retryable: the run must restart from the committed positions.
        QVERIFY(
            sink->write(sinkBatch({sinkEvent(Op::Create, 3, "c", "2024-01-01T00:00:01Z", 2)}, 3)));
        record::Batch broken;
        broken.schema = record::makeSchema({"other"});
        broken.events.resize(1);
        broken.events[0].after = {Value::fromInt(1)};
        auto w = sink->write(broken);
        QVERIFY(!w);
        QCOMPARE(w.error().code, ErrorCode::Permanent);
        QVERIFY(sink->flush());
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(2));
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT \"offset\" FROM _weir_offsets")),
                 qint64(2));
    }

    // Committed pages reach the database file on the checkpointer's own thread while the
    // writer stays open and goes on writing.
    void checkpointsInTheBackground()
    {
        const QString path = m_dir.filePath(QStringLiteral("background.db"));
        auto writer = WalWriter::open(path);
        QVERIFY(writer);
        const qint64 empty = QFileInfo(path).size();
        connectors::sqlite::WalCheckpointer checkpointer;
        QVERIFY(checkpointer.start(writer->db.handle(), path, {20, 100000}));
        QElapsedTimer waited;
        waited.start();
        while (checkpointer.completed() == 0 && waited.elapsed() < 30000) {
            QVERIFY(writer->commit());
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        QVERIFY(checkpointer.completed() > 0);
        QVERIFY2(QFileInfo(path).size() > empty + 20 * 4096,
                 "the pages did not reach the database file");
        checkpointer.stop();
        QVERIFY(writer->commit());
        QCOMPARE(test::queryInt(path, QStringLiteral("SELECT count(*) FROM t")),
                 qint64(writer->rows));
    }

    // Past the inline threshold the writer folds the log itself between two transactions, so
    // a load that never pauses cannot grow the log without bound.
    void checkpointsInlinePastTheLimit()
    {
        const QString path = m_dir.filePath(QStringLiteral("inline.db"));
        auto writer = WalWriter::open(path);
        QVERIFY(writer);
        const qint64 empty = QFileInfo(path).size();
        connectors::sqlite::WalCheckpointer checkpointer;
        QVERIFY(checkpointer.start(writer->db.handle(), path, {100000, 5}));
        QVERIFY(writer->commit());
        // Already in the file when commit() returns: no waiting.
        QVERIFY(QFileInfo(path).size() > empty + 5 * 4096);
        QCOMPARE(checkpointer.completed(), std::int64_t(0));
    }

    // The engine retries a failed open(): a second open replaces the connection, and the
    // background checkpointer must let go of the first one before it closes.
    void openedAgainKeepsWriting()
    {
        const QString db = m_dir.filePath(QStringLiteral("reopened.db"));
        auto sink = openSink(db);
        engine::NodeContext ctx{QStringLiteral("p"), QStringLiteral("sink"), 1, &m_stop,
                                m_store.get()};
        QVERIFY(sink->open(ctx));
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0)}, 1)));
        QVERIFY(sink->close());
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(1));
    }

    void eachUpstreamTableGoesIntoItsOwn()
    {
        // A change data capture of public.orders and crm.orders: "{schema}_{table}" keeps them
        // apart, inside one transaction too.
        const QString db = m_dir.filePath(QStringLiteral("routed.db"));
        auto sink = openSink(db, false, true, QStringLiteral("sink"), "{schema}_{table}");
        auto fromTable = [](record::Batch batch, const char *table) {
            batch.table = table;
            return batch;
        };
        QVERIFY(sink->write(
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0),
                                 sinkEvent(Op::Create, 2, "new", "2024-01-01T00:00:01Z", 1)},
                                2),
                      "public.orders")));
        QVERIFY(sink->write(
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "crm", "2024-01-01T00:00:01Z", 2)}, 3),
                      "crm.orders")));
        QVERIFY(writeAndCommit(
            *sink,
            fromTable(sinkBatch({sinkEvent(Op::Update, 1, "paid", "2024-01-01T00:00:02Z", 3)}, 4),
                      "public.orders")));
        QCOMPARE(test::queryText(db, QStringLiteral("SELECT group_concat(id || status, ' ') FROM "
                                                    "(SELECT * FROM public_orders ORDER BY id)")),
                 QStringLiteral("1paid 2new"));
        QCOMPARE(test::queryText(db, QStringLiteral("SELECT group_concat(id || status) FROM "
                                                    "crm_orders")),
                 QStringLiteral("1crm"));

        // A plain name takes one upstream table: a second one is refused, never mixed in.
        auto plain = openSink(m_dir.filePath(QStringLiteral("plain.db")));
        QVERIFY(writeAndCommit(
            *plain,
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0)}, 1),
                      "public.a")));
        auto mixed = writeAndCommit(
            *plain,
            fromTable(sinkBatch({sinkEvent(Op::Create, 2, "b", "2024-01-01T00:00:01Z", 1)}, 2),
                      "public.b"));
        QVERIFY(!mixed);
        QVERIFY2(mixed.error().message.startsWith(
                     QLatin1String("rows of public.a and of public.b would both go into table "
                                   "orders: name the upstream table in it")),
                 qPrintable(mixed.error().message));
        QCOMPARE(test::queryInt(m_dir.filePath(QStringLiteral("plain.db")),
                                QStringLiteral("SELECT count(*) FROM orders")),
                 qint64(1));

        // Nor does a pattern make one target of two tables: same name in two schemas, or
        // names that differ in case only (one table to SQLite).
        auto bySchema = openSink(m_dir.filePath(QStringLiteral("by_name.db")), false, true,
                                 QStringLiteral("sink"), "{table}");
        QVERIFY(writeAndCommit(
            *bySchema,
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0)}, 1),
                      "public.Orders")));
        auto twice = writeAndCommit(
            *bySchema,
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "b", "2024-01-01T00:00:01Z", 1)}, 2),
                      "crm.orders"));
        QVERIFY(!twice);
        QVERIFY2(twice.error().message.startsWith(
                     QLatin1String("rows of public.Orders and of crm.orders would both go into "
                                   "table orders")),
                 qPrintable(twice.error().message));

        // Rows from no table cannot fill {table}.
        auto templated = openSink(m_dir.filePath(QStringLiteral("templated.db")), false, true,
                                  QStringLiteral("sink"), "raw_{table}");
        auto untabled = writeAndCommit(
            *templated, sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0)}, 1));
        QVERIFY(!untabled);
        QVERIFY2(untabled.error().message.startsWith(
                     QLatin1String("table raw_{table} names the upstream table, but the rows of "
                                   "s come from no table")),
                 qPrintable(untabled.error().message));
    }

    void missingKeyColumnIsAClearError()
    {
        auto sink = openSink(m_dir.filePath(QStringLiteral("nokey.db")));
        record::Batch b;
        b.schema = record::makeSchema({"other"});
        b.events.resize(1);
        b.events[0].after = {Value::fromInt(1)};
        auto w = writeAndCommit(*sink, b);
        QVERIFY(!w);
        QCOMPARE(w.error().code, ErrorCode::Invalid);
        QCOMPARE(w.error().message,
                 QStringLiteral("key column 'id' is not in the records (columns: other)"));
        QCOMPARE(w.error().nodeId, QStringLiteral("sink"));
    }
};

QTEST_GUILESS_MAIN(TestSqliteSink)
#include "tst_sqlite_sink.moc"
