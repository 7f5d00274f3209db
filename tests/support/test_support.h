#pragma once

// Helpers shared by the tests: the weir-run binary, the orders data set, small file and
// database utilities. Integration tests drive the real binary as a user would.

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

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

// A pipeline file: csv or jsonl source -> validate (orders rules) -> dedupe -> sqlite upsert.
QByteArray ordersPipeline(const QString &name, const QString &sourceType, const QString &input,
                          const QString &database, int batchSize = 10000);

} // namespace weir::test
