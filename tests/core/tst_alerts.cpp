// Alerts: the rules read from a pipeline's settings (and located errors for bad ones), and the
// monitor firing only after a condition held for its time and clearing when it recovers.

#include "common/sqlite_db.h"
#include "engine/alert_monitor.h"
#include "engine/engine.h"
#include "model/alert_rules.h"
#include "model/node_type_registry.h"
#include "model/pipeline_json.h"
#include "model/pipeline_validator.h"
#include "support/test_support.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;

namespace {

QJsonObject settings(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

engine::MetricsSnapshot lagSnapshot(qint64 lagMs)
{
    engine::MetricsSnapshot s;
    state::MetricSample read;
    read.node = QStringLiteral("read");
    read.lagMs = lagMs;
    state::MetricSample write;
    write.node = QStringLiteral("write");
    s.nodes = {read, write};
    return s;
}

engine::MetricsSnapshot totals(qint64 read, qint64 errors)
{
    engine::MetricsSnapshot s;
    s.totals.recordsIn = read;
    s.totals.errors = errors;
    return s;
}

QString isoSecondsAgo(int seconds)
{
    return QDateTime::currentDateTimeUtc().addSecs(-seconds).toString(Qt::ISODate);
}

void insertEvents(const QString &db, int firstId, int count, const QString &updatedAt)
{
    auto open = common::SqliteDb::open(db);
    QVERIFY(open.ok());
    QVERIFY(open.value()
                .exec("CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, updated_at TEXT, "
                      "v INTEGER)")
                .ok());
    for (int i = 0; i < count; ++i)
        QVERIFY(open.value()
                    .exec(QStringLiteral("INSERT INTO events VALUES (%1, '%2', %3)")
                              .arg(firstId + i)
                              .arg(updatedAt)
                              .arg(i)
                              .toStdString())
                    .ok());
}

// sqlite.source (watching, event time from updated_at) -> sqlite.sink, lag alert over 30 s.
model::Pipeline lagPipeline(const QString &source, const QString &target)
{
    const QJsonObject src{
        {QStringLiteral("id"), QStringLiteral("src")},
        {QStringLiteral("type"), QStringLiteral("sqlite.source")},
        {QStringLiteral("config"),
         QJsonObject{{QStringLiteral("path"), source},
                     {QStringLiteral("table"), QStringLiteral("events")},
                     {QStringLiteral("watermark_column"), QStringLiteral("updated_at")},
                     {QStringLiteral("key_column"), QStringLiteral("id")},
                     {QStringLiteral("poll_ms"), 100}}}};
    const QJsonObject dst{{QStringLiteral("id"), QStringLiteral("dst")},
                          {QStringLiteral("type"), QStringLiteral("sqlite.sink")},
                          {QStringLiteral("config"),
                           QJsonObject{{QStringLiteral("path"), target},
                                       {QStringLiteral("table"), QStringLiteral("copy")},
                                       {QStringLiteral("key"), QJsonArray{QStringLiteral("id")}}}}};
    const QJsonObject root{
        {QStringLiteral("format"), 1},
        {QStringLiteral("name"), QStringLiteral("lagging")},
        {QStringLiteral("nodes"), QJsonArray{src, dst}},
        {QStringLiteral("edges"),
         QJsonArray{QJsonObject{{QStringLiteral("from"), QStringLiteral("src.out")},
                                {QStringLiteral("to"), QStringLiteral("dst.in")}}}},
        {QStringLiteral("settings"),
         QJsonObject{
             {QStringLiteral("alerts"), QJsonObject{{QStringLiteral("lag_seconds"), 30},
                                                    {QStringLiteral("lag_for_seconds"), 1}}}}}};
    auto parsed =
        model::parsePipeline(QJsonDocument(root).toJson(), QStringLiteral("lag.weir.json"));
    return *parsed.pipeline;
}

} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private slots:
    void rulesFromSettings()
    {
        auto none = model::AlertRules::fromSettings({});
        QVERIFY(none.ok());
        QVERIFY(!none.value().any());

        auto rules = model::AlertRules::fromSettings(
            settings("{\"alerts\": {\"lag_seconds\": 30, \"error_rate_percent\": 5, "
                     "\"error_rate_for_seconds\": 0}}"));
        QVERIFY(rules.ok());
        QCOMPARE(rules.value().lagSeconds, 30.0);
        QCOMPARE(rules.value().lagForSeconds, 60.0); // the default
        QCOMPARE(rules.value().errorRatePercent, 5.0);
        QCOMPARE(rules.value().errorRateForSeconds, 0.0);

        const QJsonObject back = model::AlertRules::withRules({}, rules.value());
        QCOMPARE(model::AlertRules::fromSettings(back).value().lagForSeconds, 60.0);
        QVERIFY(!model::AlertRules::withRules(back, {}).contains(QStringLiteral("alerts")));

        auto bad = model::AlertRules::fromSettings(settings("{\"alerts\": {\"lag_seconds\": -1}}"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message,
                 QStringLiteral("settings.alerts.lag_seconds: must be between 0 and 86400"));
        bad = model::AlertRules::fromSettings(settings("{\"alerts\": {\"lag\": 3}}"));
        QVERIFY(bad.error().message.startsWith(QStringLiteral("settings.alerts.lag: unknown")));
        bad = model::AlertRules::fromSettings(
            settings("{\"alerts\": {\"error_rate_percent\": \"5\"}}"));
        QCOMPARE(bad.error().message,
                 QStringLiteral("settings.alerts.error_rate_percent: must be a number"));
    }

    void validatorLocatesABadSetting()
    {
        const QByteArray text("{\n  \"format\": 1,\n  \"name\": \"p\",\n  \"nodes\": [],\n  "
                              "\"edges\": [],\n  \"settings\": {\"alerts\": {\"lag_seconds\": "
                              "\"soon\"}}\n}\n");
        auto parsed = model::parsePipeline(text, QStringLiteral("p.weir.json"));
        QVERIFY(parsed.pipeline.has_value());
        const model::SourceLocator locator(text);
        const auto problems =
            model::PipelineValidator(model::NodeTypeRegistry::builtin())
                .validate(*parsed.pipeline, QStringLiteral("p.weir.json"), &locator);
        auto it = std::find_if(problems.begin(), problems.end(), [](const model::Problem &p) {
            return p.field == QLatin1String("settings.alerts.lag_seconds");
        });
        QVERIFY(it != problems.end());
        QCOMPARE(it->line, 6);
        QCOMPARE(it->message, QStringLiteral("settings.alerts.lag_seconds: must be a number"));
    }

    void lagFiresAfterItsTimeAndClears()
    {
        model::AlertRules rules;
        rules.lagSeconds = 30;
        rules.lagForSeconds = 60;
        engine::AlertMonitor monitor(rules, 0);
        QVERIFY(monitor.update(lagSnapshot(5000), 0).empty());
        QVERIFY(monitor.update(lagSnapshot(31000), 1000).empty());  // breaching from t = 1 s
        QVERIFY(monitor.update(lagSnapshot(45000), 60000).empty()); // 59 s: not yet
        auto fired = monitor.update(lagSnapshot(47000), 61000);
        QCOMPARE(fired.size(), std::size_t(1));
        QVERIFY(fired[0].active);
        QCOMPARE(fired[0].key, QStringLiteral("lag:read"));
        QCOMPARE(fired[0].node, QStringLiteral("read"));
        QCOMPARE(fired[0].value, 47.0);
        QCOMPARE(fired[0].message, QStringLiteral("read: lag is 47 s, over 30 s for 60 s"));
        QVERIFY(monitor.update(lagSnapshot(50000), 62000).empty()); // fires once
        QCOMPARE(monitor.active().size(), std::size_t(1));
        auto cleared = monitor.update(lagSnapshot(2000), 63000);
        QCOMPARE(cleared.size(), std::size_t(1));
        QVERIFY(!cleared[0].active);
        QCOMPARE(cleared[0].message, QStringLiteral("read: lag is back to 2.0 s (threshold 30 s)"));
        QVERIFY(monitor.active().empty());
        // A dip resets the clock: breaching again needs the full minute again.
        QVERIFY(monitor.update(lagSnapshot(40000), 64000).empty());
        QVERIFY(monitor.update(lagSnapshot(40000), 123000).empty());
        QCOMPARE(monitor.update(lagSnapshot(40000), 124000).size(), std::size_t(1));
        auto ended = monitor.finish(125000, QStringLiteral("the run ended"));
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].message, QStringLiteral("read: lag cleared, the run ended"));
    }

    void recordsBehindFiresForSourcesThatKnow()
    {
        model::AlertRules rules;
        rules.recordsBehind = 10000;
        rules.recordsBehindForSeconds = 30;
        engine::AlertMonitor monitor(rules, 0);
        auto behind = [](qint64 records) {
            engine::MetricsSnapshot s = lagSnapshot(0);
            s.nodes[0].recordsBehind = records; // `write` knows none (-1): never alerts
            return s;
        };
        QVERIFY(monitor.update(behind(25000), 0).empty());
        QVERIFY(monitor.update(behind(20000), 29000).empty()); // 29 s: not yet
        auto fired = monitor.update(behind(18000), 30000);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired[0].key, QStringLiteral("behind:read"));
        QCOMPARE(fired[0].kind, QStringLiteral("records_behind"));
        QCOMPARE(
            fired[0].message,
            QStringLiteral("read: records behind is 18000 records, over 10000 records for 30 s"));
        auto cleared = monitor.update(behind(300), 31000);
        QCOMPARE(cleared.size(), std::size_t(1));
        QCOMPARE(cleared[0].message,
                 QStringLiteral("read: records behind is back to 300 records (threshold 10000 "
                                "records)"));
        QVERIFY(monitor.update(behind(50000), 32000).empty());
        QCOMPARE(monitor.update(behind(50000), 62000).size(), std::size_t(1));
        auto ended = monitor.finish(63000, QStringLiteral("the run ended"));
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].message, QStringLiteral("read: records behind cleared, the run ended"));

        auto parsed =
            model::AlertRules::fromSettings(settings("{\"alerts\": {\"records_behind\": 5000}}"));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.value().recordsBehind, 5000.0);
        QCOMPARE(parsed.value().recordsBehindForSeconds, 60.0);
        const QJsonObject back = model::AlertRules::withRules({}, parsed.value());
        QCOMPARE(back.value(QStringLiteral("alerts"))
                     .toObject()
                     .value(QStringLiteral("records_behind"))
                     .toDouble(),
                 5000.0);
    }

    void errorRateOverItsWindow()
    {
        model::AlertRules rules;
        rules.errorRatePercent = 5;
        rules.errorRateForSeconds = 2;
        engine::AlertMonitor monitor(rules, 0);
        // 1 %, and the 2 s window is not covered yet.
        QVERIFY(monitor.update(totals(1000, 10), 1000).empty());
        // Over 0..2 s: 110 errors in 2,000 read = 5.5 %, window covered: fires.
        auto fired = monitor.update(totals(2000, 110), 2000);
        QCOMPARE(fired.size(), std::size_t(1));
        QVERIFY(fired[0].active);
        QCOMPARE(fired[0].kind, QStringLiteral("error_rate"));
        QCOMPARE(fired[0].value, 5.5);
        QCOMPARE(fired[0].message,
                 QStringLiteral("error rate is 5.5 % over the last 2.0 s (threshold 5.0 %)"));
        // Over 1..3 s: 150 in 2,000 = 7.5 %: still on, nothing new.
        QVERIFY(monitor.update(totals(3000, 160), 3000).empty());
        // A snapshot with nothing new read changes nothing.
        QVERIFY(monitor.update(totals(3000, 160), 3500).empty());
        // Over 3..5 s: 10 in 2,000 = 0.5 %: clears.
        auto cleared = monitor.update(totals(5000, 170), 5000);
        QCOMPARE(cleared.size(), std::size_t(1));
        QVERIFY(!cleared[0].active);
        QCOMPARE(
            cleared[0].message,
            QStringLiteral("error rate is back to 0.5 % over the last 2.0 s (threshold 5.0 %)"));
        QVERIFY(monitor.active().empty());

        // Errors counted a second after their records were read still land in one window: the
        // per-second rate would flap between 0 % and 100 %, the window's holds at 6 %.
        engine::AlertMonitor bursty(rules, 0);
        QVERIFY(bursty.update(totals(1000, 0), 1000).empty());
        fired = bursty.update(totals(1000, 60), 2000);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired[0].value, 6.0);
        QVERIFY(bursty.update(totals(2000, 60), 3000).empty()); // 60 in 1,000 over 1..3 s
    }

    // A real run: rows two minutes old put the source's event-time lag over 30 s, the alert
    // fires after its second and lands in the event log; fresh rows bring the lag back and
    // clear it; the end of the run leaves nothing active.
    void lagAlertInARealRun()
    {
        QTemporaryDir dir;
        const QString source = dir.filePath(QStringLiteral("events.db"));
        const QString target = dir.filePath(QStringLiteral("copy.db"));
        insertEvents(source, 1, 5, isoSecondsAgo(120));
        auto store = state::StateStore::open(dir.filePath(QStringLiteral("state.db")));
        QVERIFY(store.ok());
        engine::Engine run(lagPipeline(source, target),
                           dir.filePath(QStringLiteral("lag.weir.json")), store.value().get(),
                           model::NodeTypeRegistry::builtin());
        QSignalSpy alerts(&run, &engine::Engine::alertChanged);
        QSignalSpy finished(&run, &engine::Engine::runFinished);
        run.start();

        QTRY_VERIFY_WITH_TIMEOUT(alerts.count() >= 1, 20000);
        auto fired = alerts.at(0).at(0).value<engine::AlertEvent>();
        QVERIFY(fired.active);
        QCOMPARE(fired.key, QStringLiteral("lag:src"));
        QVERIFY2(fired.value >= 119.0 && fired.value < 160.0, qPrintable(fired.message));
        QVERIFY(fired.message.startsWith(QStringLiteral("src: lag is ")));
        QCOMPARE(test::queryInt(target, QStringLiteral("SELECT count(*) FROM copy")), qint64(5));

        insertEvents(source, 6, 3, isoSecondsAgo(0));
        QTRY_VERIFY_WITH_TIMEOUT(alerts.count() >= 2, 20000);
        auto cleared = alerts.at(1).at(0).value<engine::AlertEvent>();
        QVERIFY(!cleared.active);
        QCOMPARE(cleared.key, QStringLiteral("lag:src"));
        QVERIFY2(cleared.value < 30.0, qPrintable(cleared.message));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryInt(target, QStringLiteral("SELECT count(*) FROM copy")), qint64(8), 10000);

        run.stop();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
        QCOMPARE(alerts.count(), 2); // nothing was left active for the end to clear

        const qint64 runId = finished.at(0).at(0).value<engine::RunOutcome>().runId;
        const auto events = store.value()->events(runId, 50).value();
        QStringList logged;
        for (const state::EventEntry &e : events)
            logged.prepend(e.level + QLatin1Char(' ') + e.message);
        QCOMPARE(logged.size(), 2);
        QCOMPARE(logged[0], QStringLiteral("alert ") + fired.message);
        QCOMPARE(logged[1], QStringLiteral("info ") + cleared.message);
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
