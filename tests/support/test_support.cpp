#include "support/test_support.h"

#include "common/sqlite_db.h"
#include "support/orders_generator.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

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

QByteArray ordersPipeline(const QString &name, const QString &sourceType, const QString &input,
                          const QString &database, int batchSize)
{
    const QString text = QStringLiteral(R"({
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
     "config": {"path": "%4", "table": "orders", "key": ["order_id"], "order_by": "updated_at"}}
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
                             .arg(batchSize);
    return text.toUtf8();
}

} // namespace weir::test
