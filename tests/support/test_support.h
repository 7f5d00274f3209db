#pragma once

// Helpers shared by the tests: the weir-run binary, the orders data set, small file and
// database utilities. Integration tests drive the real binary as a user would.

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <functional>
#include <utility>

namespace weir::test {

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QString weirRunPath();
QString sourceDir();
// A file of the example pipelines in resources/examples (the orders pipeline by default).
QString examplePath(const QString &fileName = QStringLiteral("orders.weir.json"));

// Runs weir-run to completion (fails the test on timeout).
ProcessResult runWeir(const QStringList &args, int timeoutMs = 120000);

// Writes the orders data set (support/orders_generator.h, default seed) into `dir`; returns
// the path prefix (".../orders_N"). With badFrac > 0 the _bad variant is written too.
QString generateOrders(const QString &dir, int rows, double badFrac = 0.0);

QJsonObject readJsonFile(const QString &path);
void writeFile(const QString &path, const QByteArray &bytes);

// One integer / text from a query on a SQLite file (fails the test on error).
qint64 queryInt(const QString &dbPath, const QString &sql);
QString queryText(const QString &dbPath, const QString &sql);

// The largest source offset committed in a SQLite target's _weir_offsets: 0 while the target or
// its table does not exist yet, -1 when it cannot be read at this moment. Quiet: made to poll.
qint64 committedOffset(const QString &dbPath);
// The same, summed over every stream: how many Kafka messages a target has committed (each
// partition's position is the number of messages before it).
qint64 committedOffsetSum(const QString &dbPath);

// Polls `condition` every 20 ms or so while `p` runs: true as soon as it holds, false when `p`
// ends first or `timeoutMs` pass. For waiting on an event in another process, not on a clock.
bool waitWhileRunning(QProcess &p, const std::function<bool()> &condition, int timeoutMs = 60000);

// Runs `args` with weir-run `rounds` times and kills each run with SIGKILL once `progress`
// (e.g. a committed offset) has passed both round i's share i/(rounds + 1) of `total` and
// what the previous round reached, so every kill lands mid-load however fast the machine is.
// Fails the calling test when a run ends before its kill, when progress goes
// backwards, or when the load is complete after a kill (check QTest::currentTestFailed()).
// Returns the progress after each kill; `afterKill` (if any) runs once the process is gone.
QList<qint64> killRepeatedly(const QStringList &args, const std::function<qint64()> &progress,
                             qint64 total, int rounds, const std::function<void()> &afterKill = {},
                             int roundTimeoutMs = 60000);

// A pipeline file: csv or jsonl source -> validate (orders rules) -> dedupe -> sqlite upsert.
// commitRows > 0 sets the sink's commit_rows (else its default).
QByteArray ordersPipeline(const QString &name, const QString &sourceType, const QString &input,
                          const QString &database, int batchSize = 10000, int commitRows = 0);

// A pipeline file: csv.source `read` (batch_size 2000) -> validate `check` (the same rules as
// ordersPipeline) -> one sink of `sinkType` per entry of `sinks` (node id, config), all fed by
// check.
QByteArray loadPipeline(const QString &name, const QString &input,
                        const QList<std::pair<QString, QJsonObject>> &sinks,
                        const QString &sinkType = QStringLiteral("sqlite.sink"));

// A pipeline file of two nodes: a source `read` of `sourceType` -> a sink `write` of `sinkType`.
QByteArray sourceToSinkPipeline(const QString &name, const QString &sourceType,
                                const QJsonObject &sourceConfig, const QString &sinkType,
                                const QJsonObject &sinkConfig);

} // namespace weir::test
