// Alerts: the rules read from a pipeline's settings (and located errors for bad ones), and the
// monitor firing only after a condition held for its time and clearing when it recovers.

#include "engine/alert_monitor.h"
#include "model/alert_rules.h"
#include "model/node_type_registry.h"
#include "model/pipeline_json.h"
#include "model/pipeline_validator.h"

#include <QJsonDocument>
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
        engine::AlertMonitor monitor(rules);
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

    void errorRatePerInterval()
    {
        model::AlertRules rules;
        rules.errorRatePercent = 5;
        rules.errorRateForSeconds = 2;
        engine::AlertMonitor monitor(rules);
        QVERIFY(monitor.update(totals(0, 0), 0).empty());
        QVERIFY(monitor.update(totals(1000, 10), 1000).empty());  // 1 %
        QVERIFY(monitor.update(totals(2000, 110), 2000).empty()); // 10 %, from t = 2 s
        QVERIFY(monitor.update(totals(3000, 210), 3000).empty()); // 10 %, 1 s
        QVERIFY(monitor.update(totals(3000, 210), 3500).empty()); // nothing read: unchanged
        auto fired = monitor.update(totals(4000, 260), 4000);     // 5 %... not over
        QVERIFY(fired.empty()); // 5 % is not over 5 %: the clock was reset
        QVERIFY(monitor.update(totals(5000, 460), 5000).empty()); // 20 %, from 5 s
        fired = monitor.update(totals(6000, 660), 7000);          // 20 %, 2 s
        QCOMPARE(fired.size(), std::size_t(1));
        QVERIFY(fired[0].active);
        QCOMPARE(fired[0].kind, QStringLiteral("error_rate"));
        QCOMPARE(fired[0].message, QStringLiteral("error rate is 20.0 %, over 5.0 % for 2.0 s"));
        auto cleared = monitor.update(totals(7000, 660), 8000);
        QCOMPARE(cleared.size(), std::size_t(1));
        QCOMPARE(cleared[0].message,
                 QStringLiteral("error rate is back to 0.0 % (threshold 5.0 %)"));
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
