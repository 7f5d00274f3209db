#include "support/test_support.h"

#include "common/sqlite_db.h"
#include "support/orders_generator.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <csignal>

namespace weir::test {

QString weirRunPath()
{
    return qEnvironmentVariable("WEIR_RUN");
}

QString sourceDir()
{
    return qEnvironmentVariable("WEIR_SOURCE_DIR");
}

QString examplePath(const QString &fileName)
{
    return sourceDir() + QStringLiteral("/resources/examples/") + fileName;
}

ProcessResult runWeir(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(weirRunPath(), args);
    ProcessResult r;
    if (!p.waitForStarted()) {
        qWarning("cannot start %s", qPrintable(weirRunPath()));
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        qWarning("weir-run %s timed out", qPrintable(args.join(QLatin1Char(' '))));
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString generateOrders(const QString &dir, int rows, double badFrac)
{
    const OrdersDataSet set = writeOrders(dir, rows, badFrac);
    if (set.prefix.isEmpty())
        qWarning("cannot write the orders data set into %s", qPrintable(dir));
    return set.prefix;
}

QJsonObject readJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qWarning("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qWarning("cannot write %s", qPrintable(path));
    f.write(bytes);
}

namespace {

std::string queryFirst(const QString &dbPath, const QString &sql, bool *ok)
{
    *ok = false;
    auto db = common::SqliteDb::open(dbPath);
    if (!db) {
        qWarning("%s", qPrintable(db.error().message));
        return {};
    }
    auto stmt = db->prepare(sql.toStdString());
    if (!stmt) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(stmt.error().message));
        return {};
    }
    auto row = stmt->step();
    if (!row || !row.value()) {
        qWarning("%s: no row", qPrintable(sql));
        return {};
    }
    *ok = true;
    return stmt->columnText(0);
}

} // namespace

qint64 queryInt(const QString &dbPath, const QString &sql)
{
    bool ok = false;
    const std::string text = queryFirst(dbPath, sql, &ok);
    return ok ? std::stoll(text.empty() ? std::string("0") : text) : -1;
}

QString queryText(const QString &dbPath, const QString &sql)
{
    bool ok = false;
    return QString::fromStdString(queryFirst(dbPath, sql, &ok));
}

namespace {

qint64 aggregateOfOffsets(const QString &dbPath, const char *aggregate)
{
    if (!QFileInfo::exists(dbPath))
        return 0;
    auto db = common::SqliteDb::open(dbPath);
    if (!db)
        return -1;
    auto table = db->prepare("SELECT count(*) FROM sqlite_master WHERE name = '_weir_offsets'");
    if (!table || !table->step() || table->columnInt(0) == 0)
        return table ? 0 : -1;
    auto stmt = db->prepare(std::string("SELECT coalesce(") + aggregate +
                            "(\"offset\"), 0) FROM _weir_offsets");
    if (!stmt)
        return -1;
    auto row = stmt->step();
    return row && row.value() ? stmt->columnInt(0) : -1;
}

} // namespace

qint64 committedOffset(const QString &dbPath)
{
    return aggregateOfOffsets(dbPath, "max");
}

qint64 committedOffsetSum(const QString &dbPath)
{
    return aggregateOfOffsets(dbPath, "sum");
}

bool waitWhileRunning(QProcess &p, const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        if (condition())
            return true;
        if (timer.elapsed() >= timeoutMs || p.state() == QProcess::NotRunning ||
            p.waitForFinished(20))
            return false;
    }
}

namespace {

// One run killed once progress() passes `threshold`; fails the test if it ends by itself.
qint64 killOnePast(const QStringList &args, const std::function<qint64()> &progress,
                   qint64 threshold, int timeoutMs, const QString &round)
{
    QProcess p;
    p.start(weirRunPath(), args);
    if (!p.waitForStarted()) {
        QTest::qFail(qPrintable(round + QStringLiteral(": cannot start weir-run")), __FILE__,
                     __LINE__);
        return -1;
    }
    qint64 seen = -1;
    const bool past = waitWhileRunning(
        p,
        [&] {
            seen = progress();
            return seen > threshold;
        },
        timeoutMs);
    if (!past && p.state() == QProcess::NotRunning) {
        QTest::qFail(qPrintable(QStringLiteral("%1: the run ended (exit %2) before progress "
                                               "passed %3; last seen %4: %5")
                                    .arg(round)
                                    .arg(p.exitCode())
                                    .arg(threshold)
                                    .arg(seen)
                                    .arg(QString::fromUtf8(p.readAllStandardError()))),
                     __FILE__, __LINE__);
        return -1;
    }
    if (p.state() == QProcess::Running)
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
    p.waitForFinished(30000);
    if (!past) {
        QTest::qFail(qPrintable(QStringLiteral("%1: progress stayed at %2, not past %3 in %4 ms")
                                    .arg(round)
                                    .arg(seen)
                                    .arg(threshold)
                                    .arg(timeoutMs)),
                     __FILE__, __LINE__);
        return -1;
    }
    if (p.exitStatus() != QProcess::CrashExit) {
        QTest::qFail(
            qPrintable(round + QStringLiteral(": the run ended by itself before the kill")),
            __FILE__, __LINE__);
        return -1;
    }
    // What a reader saw committed survives the kill.
    qint64 after = progress();
    for (int tries = 0; after < 0 && tries < 100; ++tries) {
        QTest::qWait(50);
        after = progress();
    }
    if (after < seen) {
        QTest::qFail(qPrintable(QStringLiteral("%1: progress %2 seen before the kill, %3 after")
                                    .arg(round)
                                    .arg(seen)
                                    .arg(after)),
                     __FILE__, __LINE__);
        return -1;
    }
    return after;
}

} // namespace

QList<qint64> killRepeatedly(const QStringList &args, const std::function<qint64()> &progress,
                             qint64 total, int rounds, const std::function<void()> &afterKill,
                             int roundTimeoutMs)
{
    QList<qint64> reached;
    qint64 last = 0;
    for (int i = 1; i <= rounds; ++i) {
        const qint64 threshold = std::max(total * i / (rounds + 1), last);
        const QString round = QStringLiteral("kill %1 of %2").arg(i).arg(rounds);
        const qint64 after = killOnePast(args, progress, threshold, roundTimeoutMs, round);
        if (after < 0)
            return reached;
        if (after >= total) {
            QTest::qFail(qPrintable(QStringLiteral("%1: the load was complete (%2 of %3) when "
                                                   "the kill landed")
                                        .arg(round)
                                        .arg(after)
                                        .arg(total)),
                         __FILE__, __LINE__);
            return reached;
        }
        reached << after;
        last = after;
        if (afterKill)
            afterKill();
    }
    return reached;
}

QByteArray ordersPipeline(const QString &name, const QString &sourceType, const QString &input,
                          const QString &database, int batchSize, int commitRows)
{
    const QString text =
        QStringLiteral(R"({
  "format": 1,
  "name": "%1",
  "nodes": [
    {"id": "read", "type": "%2", "position": [0, 0],
     "config": {"path": "%3", "batch_size": %5}},
    {"id": "check", "type": "validate", "position": [200, 0],
     "config": {"required": ["order_id", "customer_id", "amount", "status", "updated_at"],
                "types": {"order_id": "int", "customer_id": "int", "amount": "decimal",
                          "updated_at": "timestamp"}}},
    {"id": "latest", "type": "dedupe", "position": [400, 0],
     "config": {"key": ["order_id"], "order_by": "updated_at"}},
    {"id": "orders", "type": "sqlite.sink", "position": [600, 0],
     "config": {"path": "%4", "table": "orders", "key": ["order_id"], "order_by": "updated_at"%6}}
  ],
  "edges": [
    {"from": "read.out", "to": "check.in"},
    {"from": "check.out", "to": "latest.in"},
    {"from": "latest.out", "to": "orders.in"}
  ],
  "settings": {}
}
)")
            .arg(name, sourceType, input, database)
            .arg(batchSize)
            .arg(commitRows > 0 ? QStringLiteral(", \"commit_rows\": %1").arg(commitRows)
                                : QString());
    return text.toUtf8();
}

QByteArray loadPipeline(const QString &name, const QString &input,
                        const QList<std::pair<QString, QJsonObject>> &sinks,
                        const QString &sinkType)
{
    auto node = [](const QString &id, const QString &type, int x, const QJsonObject &config) {
        return QJsonObject{{QStringLiteral("id"), id},
                           {QStringLiteral("type"), type},
                           {QStringLiteral("position"), QJsonArray{x, 0}},
                           {QStringLiteral("config"), config}};
    };
    auto edge = [](const QString &from, const QString &to) {
        return QJsonObject{{QStringLiteral("from"), from}, {QStringLiteral("to"), to}};
    };
    const QJsonObject rules{
        {QStringLiteral("required"),
         QJsonArray{QStringLiteral("order_id"), QStringLiteral("customer_id"),
                    QStringLiteral("amount"), QStringLiteral("status"),
                    QStringLiteral("updated_at")}},
        {QStringLiteral("types"),
         QJsonObject{{QStringLiteral("order_id"), QStringLiteral("int")},
                     {QStringLiteral("customer_id"), QStringLiteral("int")},
                     {QStringLiteral("amount"), QStringLiteral("decimal")},
                     {QStringLiteral("updated_at"), QStringLiteral("timestamp")}}}};
    QJsonArray nodes{
        node(QStringLiteral("read"), QStringLiteral("csv.source"), 0,
             QJsonObject{{QStringLiteral("path"), input}, {QStringLiteral("batch_size"), 2000}}),
        node(QStringLiteral("check"), QStringLiteral("validate"), 200, rules)};
    QJsonArray edges{edge(QStringLiteral("read.out"), QStringLiteral("check.in"))};
    int x = 400;
    for (const auto &[id, config] : sinks) {
        nodes.append(node(id, sinkType, x, config));
        edges.append(edge(QStringLiteral("check.out"), id + QStringLiteral(".in")));
        x += 200;
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), 1},
                                     {QStringLiteral("name"), name},
                                     {QStringLiteral("nodes"), nodes},
                                     {QStringLiteral("edges"), edges},
                                     {QStringLiteral("settings"), QJsonObject{}}})
        .toJson();
}

QByteArray sourceToSinkPipeline(const QString &name, const QString &sourceType,
                                const QJsonObject &sourceConfig, const QString &sinkType,
                                const QJsonObject &sinkConfig)
{
    auto node = [](const char *id, const QString &type, int x, const QJsonObject &config) {
        return QJsonObject{{QStringLiteral("id"), QLatin1String(id)},
                           {QStringLiteral("type"), type},
                           {QStringLiteral("position"), QJsonArray{x, 0}},
                           {QStringLiteral("config"), config}};
    };
    const QJsonObject edge{{QStringLiteral("from"), QStringLiteral("read.out")},
                           {QStringLiteral("to"), QStringLiteral("write.in")}};
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), 1},
                                     {QStringLiteral("name"), name},
                                     {QStringLiteral("nodes"),
                                      QJsonArray{node("read", sourceType, 0, sourceConfig),
                                                 node("write", sinkType, 200, sinkConfig)}},
                                     {QStringLiteral("edges"), QJsonArray{edge}},
                                     {QStringLiteral("settings"), QJsonObject{}}})
        .toJson();
}

} // namespace weir::test
