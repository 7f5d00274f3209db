// The Prometheus text exposition of a run: exact text for a hand-built snapshot, label
// escaping, unknown lag and bytes left out, and the text served before the first snapshot.

#include "engine/prometheus_text.h"

#include <QTest>

using weir::engine::escapePrometheusLabelValue;
using weir::engine::MetricsSnapshot;
using weir::engine::PrometheusRun;
using weir::engine::prometheusText;
using weir::state::MetricSample;

namespace {

MetricSample sample(const QString &node, qint64 in, qint64 out, qint64 errors, qint64 dead)
{
    MetricSample s;
    s.runId = 7;
    s.node = node;
    s.timeMs = 1700000000000;
    s.recordsIn = in;
    s.recordsOut = out;
    s.errors = errors;
    s.deadLetters = dead;
    return s;
}

// The HELP and TYPE lines of every family, in the order they are written.
const char *const kRunInfoHeader =
    "# HELP weir_run_info The run: pipeline, run id and status (running, finished, failed, "
    "interrupted).\n"
    "# TYPE weir_run_info gauge\n";
const char *const kReadHeader = "# HELP weir_run_records_read_total Records the run's sources "
                                "read.\n"
                                "# TYPE weir_run_records_read_total counter\n";
const char *const kWrittenHeader = "# HELP weir_run_records_written_total Records the run's "
                                   "sinks wrote.\n"
                                   "# TYPE weir_run_records_written_total counter\n";
const char *const kRunDeadHeader = "# HELP weir_run_dead_letters_total Records the run sent to "
                                   "the dead-letter queue.\n"
                                   "# TYPE weir_run_dead_letters_total counter\n";
const char *const kInHeader = "# HELP weir_records_in_total Records a node received (at a "
                              "source: records read).\n"
                              "# TYPE weir_records_in_total counter\n";
const char *const kOutHeader = "# HELP weir_records_out_total Records a node passed on (at a "
                               "sink: records written).\n"
                               "# TYPE weir_records_out_total counter\n";
const char *const kErrorsHeader = "# HELP weir_errors_total Records a node failed on.\n"
                                  "# TYPE weir_errors_total counter\n";
const char *const kDeadHeader = "# HELP weir_dead_letters_total Records a node sent to the "
                                "dead-letter queue.\n"
                                "# TYPE weir_dead_letters_total counter\n";
const char *const kQueueHeader = "# HELP weir_queue_depth Batches waiting in the node's input "
                                 "queue.\n"
                                 "# TYPE weir_queue_depth gauge\n";
const char *const kLagHeader = "# HELP weir_lag_seconds Event-time lag at a source, "
                               "ingest-to-write delay at a sink; absent when unknown.\n"
                               "# TYPE weir_lag_seconds gauge\n";
const char *const kBytesHeader = "# HELP weir_bytes_behind Bytes between a source's position "
                                 "and the head of its input; absent when unknown.\n"
                                 "# TYPE weir_bytes_behind gauge\n";
const char *const kRecordsBehindHeader =
    "# HELP weir_records_behind Records between a source's position and the head of its input "
    "(a consumer's lag); absent when unknown.\n"
    "# TYPE weir_records_behind gauge\n";
const char *const kCommitHeader = "# HELP weir_commit_seconds Duration of a sink's latest "
                                  "commit.\n"
                                  "# TYPE weir_commit_seconds gauge\n";
const char *const kRetainedHeader =
    "# HELP weir_retained_bytes What a source's upstream keeps until the source acknowledges it "
    "(a replication slot's WAL); absent when nothing.\n"
    "# TYPE weir_retained_bytes gauge\n";
const char *const kUpstreamStatusHeader =
    "# HELP weir_upstream_status The state of what a source's upstream keeps for it, as the "
    "status label (a replication slot's wal_status: reserved, extended, unreserved, lost).\n"
    "# TYPE weir_upstream_status gauge\n";

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT

private slots:
    void rendersEveryFamilyInNodeOrder()
    {
        MetricsSnapshot snap;
        snap.runId = 7;
        MetricSample source = sample(QStringLiteral("orders_csv"), 200, 194, 6, 6);
        source.lagMs = -1; // unknown: no lag sample for this node
        source.bytesBehind = 0;
        source.recordsBehind = 42;
        source.retainedBytes = 16777216;
        source.upstreamStatus = QStringLiteral("extended");
        MetricSample check = sample(QStringLiteral("check \"eu\"\\\nv2"), 194, 188, 6, 6);
        check.queueDepth = 3;
        check.lagMs = 250;
        MetricSample sink = sample(QStringLiteral("orders_db"), 188, 182, 0, 0);
        sink.lagMs = 1500;
        sink.commitMillis = 0.034534;
        snap.nodes = {source, check, sink};
        snap.totals = {200, 182, 12, 12};
        const PrometheusRun run{QStringLiteral("orders \\ \"lake\"\nnight"), 7,
                                QStringLiteral("running")};

        const QByteArray p = "pipeline=\"orders \\\\ \\\"lake\\\"\\nnight\"";
        const QByteArray src = "{" + p + ",node=\"orders_csv\"} ";
        const QByteArray chk = "{" + p + ",node=\"check \\\"eu\\\"\\\\\\nv2\"} ";
        const QByteArray dst = "{" + p + ",node=\"orders_db\"} ";
        QByteArray expected;
        expected += kRunInfoHeader;
        expected += "weir_run_info{" + p + ",run_id=\"7\",status=\"running\"} 1\n";
        expected += kReadHeader;
        expected += "weir_run_records_read_total{" + p + "} 200\n";
        expected += kWrittenHeader;
        expected += "weir_run_records_written_total{" + p + "} 182\n";
        expected += kRunDeadHeader;
        expected += "weir_run_dead_letters_total{" + p + "} 12\n";
        expected += kInHeader;
        expected += "weir_records_in_total" + src + "200\n";
        expected += "weir_records_in_total" + chk + "194\n";
        expected += "weir_records_in_total" + dst + "188\n";
        expected += kOutHeader;
        expected += "weir_records_out_total" + src + "194\n";
        expected += "weir_records_out_total" + chk + "188\n";
        expected += "weir_records_out_total" + dst + "182\n";
        expected += kErrorsHeader;
        expected += "weir_errors_total" + src + "6\n";
        expected += "weir_errors_total" + chk + "6\n";
        expected += "weir_errors_total" + dst + "0\n";
        expected += kDeadHeader;
        expected += "weir_dead_letters_total" + src + "6\n";
        expected += "weir_dead_letters_total" + chk + "6\n";
        expected += "weir_dead_letters_total" + dst + "0\n";
        expected += kQueueHeader;
        expected += "weir_queue_depth" + src + "0\n";
        expected += "weir_queue_depth" + chk + "3\n";
        expected += "weir_queue_depth" + dst + "0\n";
        expected += kLagHeader;
        expected += "weir_lag_seconds" + chk + "0.25\n";
        expected += "weir_lag_seconds" + dst + "1.5\n";
        expected += kBytesHeader;
        expected += "weir_bytes_behind" + src + "0\n";
        expected += kRecordsBehindHeader;
        expected += "weir_records_behind" + src + "42\n";
        expected += kCommitHeader;
        expected += "weir_commit_seconds" + src + "0\n";
        expected += "weir_commit_seconds" + chk + "0\n";
        expected += "weir_commit_seconds" + dst + "3.4534e-05\n";
        expected += kRetainedHeader;
        expected += "weir_retained_bytes" + src + "16777216\n";
        expected += kUpstreamStatusHeader;
        expected += "weir_upstream_status{" + p + ",node=\"orders_csv\",status=\"extended\"} 1\n";

        // Line by line first, so a failure names the line.
        const QByteArray actual = prometheusText(run, snap);
        QCOMPARE(actual.split('\n'), expected.split('\n'));
        QCOMPARE(actual, expected);
    }

    void beforeTheFirstSnapshotOnlyTheRun()
    {
        const PrometheusRun run{QStringLiteral("orders"), 0, QStringLiteral("running")};
        QByteArray expected;
        expected += kRunInfoHeader;
        expected += "weir_run_info{pipeline=\"orders\",run_id=\"\",status=\"running\"} 1\n";
        expected += kReadHeader;
        expected += "weir_run_records_read_total{pipeline=\"orders\"} 0\n";
        expected += kWrittenHeader;
        expected += "weir_run_records_written_total{pipeline=\"orders\"} 0\n";
        expected += kRunDeadHeader;
        expected += "weir_run_dead_letters_total{pipeline=\"orders\"} 0\n";
        expected += kInHeader;
        expected += kOutHeader;
        expected += kErrorsHeader;
        expected += kDeadHeader;
        expected += kQueueHeader;
        expected += kLagHeader;
        expected += kBytesHeader;
        expected += kRecordsBehindHeader;
        expected += kCommitHeader;
        expected += kRetainedHeader;
        expected += kUpstreamStatusHeader;
        QCOMPARE(prometheusText(run, MetricsSnapshot{}), expected);
    }

    void everyFamilyHasOneHelpAndOneType()
    {
        MetricsSnapshot snap;
        snap.nodes = {sample(QStringLiteral("a"), 1, 1, 0, 0),
                      sample(QStringLiteral("b"), 1, 1, 0, 0)};
        const QByteArray text =
            prometheusText({QStringLiteral("p"), 1, QStringLiteral("finished")}, snap);
        QCOMPARE(text.count("# HELP "), 15);
        QCOMPARE(text.count("# TYPE "), 15);
        QCOMPARE(text.count("# TYPE weir_records_in_total counter\n"), 1);
        QVERIFY(text.endsWith('\n'));
    }

    void escapesLabelValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("plain") << "orders_db" << QByteArray("orders_db");
        QTest::newRow("backslash") << "C:\\data" << QByteArray("C:\\\\data");
        QTest::newRow("quote") << "say \"hi\"" << QByteArray("say \\\"hi\\\"");
        QTest::newRow("newline") << "a\nb" << QByteArray("a\\nb");
        QTest::newRow("all three") << "\\\"\n" << QByteArray("\\\\\\\"\\n");
        QTest::newRow("utf-8 kept") << QStringLiteral("caf\u00e9") << QByteArray("caf\xc3\xa9");
        QTest::newRow("tab kept") << "a\tb" << QByteArray("a\tb");
    }

    void escapesLabelValues()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, escaped);
        QCOMPARE(escapePrometheusLabelValue(value), escaped);
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheus_text.moc"
