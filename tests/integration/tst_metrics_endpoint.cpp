// weir-run run --metrics-port as a monitoring system meets it: the orders example, read from a
// watched folder so the run stays alive, scraped with the real curl until its counters settle
// on the exact numbers for that data; live updates when a file lands; 404 elsewhere; SIGTERM
// ends the run and closes the port; a port in use stops the command before the run.

#include "support/test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <array>

using namespace weir::test;

namespace {

struct Scrape
{
    int curlExit = -1; // curl's exit code: 0 fetched, 7 could not connect
    int status = 0;    // HTTP status
    QByteArray contentType;
    QByteArray body;
};

// GET http://127.0.0.1:port/path with the curl binary, headers included (-i).
Scrape scrape(quint16 port, const QString &path = QStringLiteral("/metrics"))
{
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
                QStringLiteral("10"),
                QStringLiteral("http://127.0.0.1:%1%2").arg(QString::number(port), path)});
    Scrape s;
    if (!curl.waitForFinished(20000) || curl.exitStatus() != QProcess::NormalExit) {
        qWarning("curl did not finish");
        curl.kill();
        curl.waitForFinished();
        return s;
    }
    s.curlExit = curl.exitCode();
    const QByteArray response = curl.readAllStandardOutput();
    const qsizetype split = response.indexOf("\r\n\r\n");
    if (split < 0)
        return s;
    const QList<QByteArray> headers = response.left(split).split('\n');
    const QList<QByteArray> statusLine = headers.first().trimmed().split(' ');
    s.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
    for (const QByteArray &h : headers) {
        if (h.toLower().startsWith("content-type:"))
            s.contentType = h.mid(h.indexOf(':') + 1).trimmed();
    }
    s.body = response.mid(split + 4);
    return s;
}

// The samples of an exposition: "name{labels}" -> value text.
QMap<QByteArray, QByteArray> samples(const QByteArray &body)
{
    QMap<QByteArray, QByteArray> result;
    for (const QByteArray &line : body.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        result.insert(line.left(space), line.mid(space + 1));
    }
    return result;
}

QByteArray nodeKey(const char *family, const char *node)
{
    return QByteArray(family) + "{pipeline=\"orders\",node=\"" + node + "\"}";
}

// The counters of the orders pipeline: run totals, then per node in, out, errors and dead
// letters for orders_csv, check, latest and orders_db.
QMap<QByteArray, QByteArray> orderCounters(qint64 read, qint64 written, qint64 dead,
                                           const std::array<std::array<qint64, 4>, 4> &nodes)
{
    QMap<QByteArray, QByteArray> c;
    c.insert("weir_run_records_read_total{pipeline=\"orders\"}", QByteArray::number(read));
    c.insert("weir_run_records_written_total{pipeline=\"orders\"}", QByteArray::number(written));
    c.insert("weir_run_dead_letters_total{pipeline=\"orders\"}", QByteArray::number(dead));
    const std::array<const char *, 4> names{"orders_csv", "check", "latest", "orders_db"};
    const std::array<const char *, 4> families{"weir_records_in_total", "weir_records_out_total",
                                               "weir_errors_total", "weir_dead_letters_total"};
    for (std::size_t n = 0; n < names.size(); ++n) {
        for (std::size_t f = 0; f < families.size(); ++f)
            c.insert(nodeKey(families.at(f), names.at(n)), QByteArray::number(nodes.at(n).at(f)));
    }
    return c;
}

// The values `body` has for the keys of `expected` ("absent" where it has none).
QMap<QByteArray, QByteArray> pick(const QByteArray &body,
                                  const QMap<QByteArray, QByteArray> &expected)
{
    const QMap<QByteArray, QByteArray> all = samples(body);
    QMap<QByteArray, QByteArray> picked;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        picked.insert(it.key(), all.value(it.key(), "absent"));
    return picked;
}

// Scrapes every 200 ms until the counters named in `expected` have not changed for 1.5 s
// (longer than the engine's 1 s snapshot interval) and equal `expected`, or 60 s pass.
// Returns the last body either way; the caller compares.
QByteArray scrapeUntilSettled(quint16 port, const QMap<QByteArray, QByteArray> &expected)
{
    QElapsedTimer total;
    total.start();
    QElapsedTimer unchanged;
    unchanged.start();
    QMap<QByteArray, QByteArray> last;
    QByteArray body;
    while (total.elapsed() < 60000) {
        body = scrape(port).body;
        const QMap<QByteArray, QByteArray> now = pick(body, expected);
        if (now != last) {
            last = now;
            unchanged.restart();
        } else if (now == expected && unchanged.elapsed() >= 1500) {
            break;
        }
        QTest::qWait(200);
    }
    return body;
}

} // namespace

class TestMetricsEndpoint : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // The orders example in a fresh folder, its CSV source turned into a watched folder that
    // holds the same file: the run reads it, then keeps watching until it is stopped.
    QString watchedOrdersPipeline(const QString &name)
    {
        const QString target = m_dir.filePath(name);
        const QString inbox = target + QStringLiteral("/orders_inbox");
        if (!QDir().mkpath(inbox))
            return {};
        if (!QFile::copy(examplePath(QStringLiteral("orders_sample.csv")),
                         inbox + QStringLiteral("/orders_sample.csv")))
            return {};
        QJsonObject doc = readJsonFile(examplePath());
        QJsonArray nodes = doc.value(QStringLiteral("nodes")).toArray();
        QJsonObject source = nodes.at(0).toObject();
        if (source.value(QStringLiteral("id")).toString() != QLatin1String("orders_csv"))
            return {};
        source.insert(QStringLiteral("type"), QStringLiteral("folder.source"));
        source.insert(QStringLiteral("config"),
                      QJsonObject{{QStringLiteral("folder"), QStringLiteral("orders_inbox")},
                                  {QStringLiteral("settle_ms"), 200},
                                  {QStringLiteral("poll_ms"), 100}});
        nodes.replace(0, source);
        doc.insert(QStringLiteral("nodes"), nodes);
        QString pipeline = target + QStringLiteral("/orders.weir.json");
        writeFile(pipeline, QJsonDocument(doc).toJson());
        return pipeline;
    }

    // Reads the started process's stderr until the metrics line; returns its port or 0.
    static quint16 waitForMetricsUrl(QProcess &p, QByteArray &stderrText)
    {
        static const QRegularExpression line(
            QStringLiteral("^metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics$"),
            QRegularExpression::MultilineOption);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 30000) {
            stderrText += p.readAllStandardError();
            const QRegularExpressionMatch m = line.match(QString::fromUtf8(stderrText));
            if (m.hasMatch())
                return static_cast<quint16>(m.captured(1).toUInt());
            if (p.state() == QProcess::NotRunning)
                return 0;
            p.waitForReadyRead(500);
        }
        return 0;
    }

private slots:
    void helpDocumentsTheOption()
    {
        const ProcessResult r = runWeir({QStringLiteral("run"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("--metrics-port <port>"), r.out.constData());
        QVERIFY2(r.out.contains("/metrics"), r.out.constData());
    }

    void servesLiveMetricsUntilStopped()
    {
        const QString pipeline = watchedOrdersPipeline(QStringLiteral("live"));
        QVERIFY(!pipeline.isEmpty());
        QProcess p;
        p.setReadChannel(QProcess::StandardError);
        p.start(weirRunPath(), {QStringLiteral("run"), pipeline, QStringLiteral("--metrics-port"),
                                QStringLiteral("0"), QStringLiteral("--state"),
                                m_dir.filePath(QStringLiteral("live-state.db"))});
        QVERIFY(p.waitForStarted());
        QByteArray stderrText;
        const quint16 port = waitForMetricsUrl(p, stderrText);
        QVERIFY2(port > 0, stderrText.constData());

        // At once: served, with the run's info, whether or not the first snapshot is there.
        const Scrape first = scrape(port);
        QCOMPARE(first.curlExit, 0);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY2(first.body.contains("status=\"running\"} 1\n"), first.body.constData());

        // orders_sample.csv: 200 rows; 6 malformed (the source), 6 invalid (check), 6 older
        // versions of an order (latest): 182 rows written, 12 dead letters.
        const QMap<QByteArray, QByteArray> settled = orderCounters(
            200, 182, 12,
            {{{200, 194, 6, 6}, {194, 188, 6, 6}, {188, 182, 0, 0}, {182, 182, 0, 0}}});
        const QByteArray body = scrapeUntilSettled(port, settled);
        QCOMPARE(pick(body, settled), settled);

        const QMap<QByteArray, QByteArray> all = samples(body);
        QCOMPARE(all.value("weir_run_info{pipeline=\"orders\",run_id=\"1\",status=\"running\"}"),
                 QByteArray("1"));
        QCOMPARE(all.value(nodeKey("weir_queue_depth", "check")), QByteArray("0"));
        // A watched folder knows how far behind it is, not an event-time lag; the sink knows
        // how long records took to reach it.
        QCOMPARE(all.value(nodeKey("weir_bytes_behind", "orders_csv")), QByteArray("0"));
        QVERIFY(!all.contains(nodeKey("weir_lag_seconds", "orders_csv")));
        QVERIFY(!all.contains(nodeKey("weir_bytes_behind", "orders_db")));
        QVERIFY(all.contains(nodeKey("weir_lag_seconds", "orders_db")));
        QVERIFY(all.contains(nodeKey("weir_commit_seconds", "orders_db")));
        // Every family once, with its type, before its samples.
        const QList<std::pair<const char *, const char *>> families{
            {"weir_run_info", "gauge"},
            {"weir_run_records_read_total", "counter"},
            {"weir_run_records_written_total", "counter"},
            {"weir_run_dead_letters_total", "counter"},
            {"weir_records_in_total", "counter"},
            {"weir_records_out_total", "counter"},
            {"weir_errors_total", "counter"},
            {"weir_dead_letters_total", "counter"},
            {"weir_queue_depth", "gauge"},
            {"weir_lag_seconds", "gauge"},
            {"weir_bytes_behind", "gauge"},
            {"weir_commit_seconds", "gauge"}};
        for (const auto &[name, type] : families) {
            const QByteArray typeLine = QByteArray("# TYPE ") + name + ' ' + type + '\n';
            const QByteArray helpLine = QByteArray("# HELP ") + name + ' ';
            QVERIFY2(body.count(typeLine) == 1, name);
            QVERIFY2(body.count(helpLine) == 1, name);
            QVERIFY2(body.indexOf(helpLine) < body.indexOf(typeLine), name);
            const qsizetype firstSample = body.indexOf('\n' + QByteArray(name) + '{');
            if (firstSample >= 0)
                QVERIFY2(body.indexOf(typeLine) < firstSample, name);
        }

        // A new file lands (written under a temporary name, then renamed): 2 new orders and
        // one with an unknown status. The endpoint follows.
        const QString inbox = QFileInfo(pipeline).absolutePath() + QStringLiteral("/orders_inbox");
        writeFile(inbox + QStringLiteral("/orders_batch_02.csv.tmp"),
                  "order_id,customer_id,amount,status,updated_at\n"
                  "9001,1,10.00,paid,2024-02-01T00:00:00.000Z\n"
                  "9002,2,20.50,shipped,2024-02-01T00:00:01.000Z\n"
                  "9003,3,5.00,lost,2024-02-01T00:00:02.000Z\n");
        QVERIFY(QFile::rename(inbox + QStringLiteral("/orders_batch_02.csv.tmp"),
                              inbox + QStringLiteral("/orders_batch_02.csv")));
        const QMap<QByteArray, QByteArray> grown = orderCounters(
            203, 184, 13,
            {{{203, 197, 6, 6}, {197, 190, 7, 7}, {190, 184, 0, 0}, {184, 184, 0, 0}}});
        QCOMPARE(pick(scrapeUntilSettled(port, grown), grown), grown);

        // Only /metrics is served.
        const Scrape other = scrape(port, QStringLiteral("/other"));
        QCOMPARE(other.curlExit, 0);
        QCOMPARE(other.status, 404);
        QCOMPARE(scrape(port, QStringLiteral("/metrics/nodes")).status, 404);
        QCOMPARE(scrape(port, QStringLiteral("/")).status, 404);

        // SIGTERM to the process we started: a clean stop, exit 130, and the port is closed.
        p.terminate();
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        stderrText += p.readAllStandardError();
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(stderrText.contains("run 1 interrupted: 203 read, 184 written, 13 dead letters"),
                 stderrText.constData());
        QCOMPARE(scrape(port).curlExit, 7); // curl: could not connect
    }

    void portInUseStopsBeforeTheRun()
    {
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        const QString port = QString::number(busy.serverPort());
        const QString pipeline = watchedOrdersPipeline(QStringLiteral("busy"));
        QVERIFY(!pipeline.isEmpty());
        const QString state = m_dir.filePath(QStringLiteral("busy-state.db"));
        // The watched pipeline never ends by itself: a run that started would time out here.
        const ProcessResult r =
            runWeir({QStringLiteral("run"), pipeline, QStringLiteral("--metrics-port"), port,
                     QStringLiteral("--state"), state},
                    30000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(("127.0.0.1:" + port).toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("in use"), r.err.constData());
        QVERIFY2(!r.err.contains("metrics: http"), r.err.constData());
        // No run was recorded.
        const ProcessResult history = runWeir({QStringLiteral("history"), QStringLiteral("--json"),
                                               QStringLiteral("--state"), state});
        QCOMPARE(history.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(history.out).array().size(), 0);
        QVERIFY(!QFile::exists(QFileInfo(pipeline).absolutePath() + QStringLiteral("/orders.db")));
    }

    void badPortIsAUsageError()
    {
        for (const QString &bad :
             {QStringLiteral("65536"), QStringLiteral("-1"), QStringLiteral("http")}) {
            const ProcessResult r =
                runWeir({QStringLiteral("run"), examplePath(), QStringLiteral("--metrics-port"),
                         bad, QStringLiteral("--state"), m_dir.filePath(QStringLiteral("bad.db"))});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("--metrics-port"), r.err.constData());
        }
    }

    void onceRunServesThenExitsAsBefore()
    {
        const QString target = m_dir.filePath(QStringLiteral("once"));
        QVERIFY(QDir().mkpath(target));
        QVERIFY(QFile::copy(examplePath(), target + QStringLiteral("/orders.weir.json")));
        QVERIFY(QFile::copy(examplePath(QStringLiteral("orders_sample.csv")),
                            target + QStringLiteral("/orders_sample.csv")));
        const ProcessResult r =
            runWeir({QStringLiteral("run"), target + QStringLiteral("/orders.weir.json"),
                     QStringLiteral("--once"), QStringLiteral("--json"),
                     QStringLiteral("--metrics-port"), QStringLiteral("0"),
                     QStringLiteral("--state"), m_dir.filePath(QStringLiteral("once-state.db"))});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            QRegularExpression(QStringLiteral("^metrics: http://127\\.0\\.0\\.1:\\d+/metrics$"),
                               QRegularExpression::MultilineOption)
                .match(QString::fromUtf8(r.err))
                .hasMatch(),
            r.err.constData());
        // stdout stays JSON lines only.
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        for (const QByteArray &line : lines)
            QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
        const QJsonObject done = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        QCOMPARE(done.value(QStringLiteral("totals"))
                     .toObject()
                     .value(QStringLiteral("records_out"))
                     .toInteger(),
                 182);
    }
};

QTEST_GUILESS_MAIN(TestMetricsEndpoint)
#include "tst_metrics_endpoint.moc"
