#include "engine/prometheus_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

namespace weir::engine {
namespace {

void writeHeader(QByteArray &out, const char *name, const char *type, const char *help)
{
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
}

void writeSample(QByteArray &out, const char *name, const QByteArray &labels,
                 const QByteArray &value)
{
    out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
}

// Nine significant digits (milliseconds divided by 1000 are not exact in binary, and more
// digits would only show that); the format's own spelling of the specials.
QByteArray formatDouble(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::general, 9);
    return QByteArray(buffer.data(), static_cast<qsizetype>(result.ptr - buffer.data()));
}

QByteArray formatSeconds(qint64 millis)
{
    return formatDouble(static_cast<double>(millis) / 1000.0);
}

QByteArray label(const char *name, const QString &value)
{
    return QByteArray(name) + "=\"" + escapePrometheusLabelValue(value) + '"';
}

struct NodeFamily
{
    const char *name;
    const char *type;
    const char *help;
    // The sample's value, or nothing when it is unknown for this node.
    std::optional<QByteArray> (*value)(const state::MetricSample &);
};

std::optional<QByteArray> recordsIn(const state::MetricSample &s)
{
    return QByteArray::number(s.recordsIn);
}

std::optional<QByteArray> recordsOut(const state::MetricSample &s)
{
    return QByteArray::number(s.recordsOut);
}

std::optional<QByteArray> errors(const state::MetricSample &s)
{
    return QByteArray::number(s.errors);
}

std::optional<QByteArray> deadLetters(const state::MetricSample &s)
{
    return QByteArray::number(s.deadLetters);
}

std::optional<QByteArray> queueDepth(const state::MetricSample &s)
{
    return QByteArray::number(s.queueDepth);
}

std::optional<QByteArray> lagSeconds(const state::MetricSample &s)
{
    if (s.lagMs < 0)
        return std::nullopt;
    return formatSeconds(s.lagMs);
}

std::optional<QByteArray> bytesBehind(const state::MetricSample &s)
{
    if (s.bytesBehind < 0)
        return std::nullopt;
    return QByteArray::number(s.bytesBehind);
}

std::optional<QByteArray> recordsBehind(const state::MetricSample &s)
{
    if (s.recordsBehind < 0)
        return std::nullopt;
    return QByteArray::number(s.recordsBehind);
}

std::optional<QByteArray> retainedBytes(const state::MetricSample &s)
{
    if (s.retainedBytes < 0)
        return std::nullopt;
    return QByteArray::number(s.retainedBytes);
}

std::optional<QByteArray> commitSeconds(const state::MetricSample &s)
{
    return formatDouble(s.commitMillis / 1000.0);
}

const std::array<NodeFamily, 10> kNodeFamilies{{
    {"weir_records_in_total", "counter", "Records a node received (at a source: records read).",
     recordsIn},
    {"weir_records_out_total", "counter", "Records a node passed on (at a sink: records written).",
     recordsOut},
    {"weir_errors_total", "counter", "Records a node failed on.", errors},
    {"weir_dead_letters_total", "counter", "Records a node sent to the dead-letter queue.",
     deadLetters},
    {"weir_queue_depth", "gauge", "Batches waiting in the node's input queue.", queueDepth},
    {"weir_lag_seconds", "gauge",
     "Event-time lag at a source, ingest-to-write delay at a sink; absent when unknown.",
     lagSeconds},
    {"weir_bytes_behind", "gauge",
     "Bytes between a source's position and the head of its input; absent when unknown.",
     bytesBehind},
    {"weir_records_behind", "gauge",
     "Records between a source's position and the head of its input (a consumer's lag); absent "
     "when unknown.",
     recordsBehind},
    {"weir_commit_seconds", "gauge", "Duration of a sink's latest commit.", commitSeconds},
    {"weir_retained_bytes", "gauge",
     "What a source's upstream keeps until the source acknowledges it (a replication slot's "
     "WAL); absent when nothing.",
     retainedBytes},
}};

} // namespace

QByteArray escapePrometheusLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray escaped;
    escaped.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            escaped.append("\\\\");
        else if (c == '"')
            escaped.append("\\\"");
        else if (c == '\n')
            escaped.append("\\n");
        else
            escaped.append(c);
    }
    return escaped;
}

QByteArray prometheusText(const PrometheusRun &run, const MetricsSnapshot &snapshot)
{
    QByteArray out;
    const QByteArray pipeline = label("pipeline", run.pipeline);

    writeHeader(out, "weir_run_info", "gauge",
                "The run: pipeline, run id and status (running, finished, failed, interrupted).");
    writeSample(out, "weir_run_info",
                pipeline + ',' +
                    label("run_id", run.runId > 0 ? QString::number(run.runId) : QString()) + ',' +
                    label("status", run.status),
                QByteArrayLiteral("1"));
    writeHeader(out, "weir_run_records_read_total", "counter", "Records the run's sources read.");
    writeSample(out, "weir_run_records_read_total", pipeline,
                QByteArray::number(snapshot.totals.recordsIn));
    writeHeader(out, "weir_run_records_written_total", "counter", "Records the run's sinks wrote.");
    writeSample(out, "weir_run_records_written_total", pipeline,
                QByteArray::number(snapshot.totals.recordsOut));
    writeHeader(out, "weir_run_dead_letters_total", "counter",
                "Records the run sent to the dead-letter queue.");
    writeSample(out, "weir_run_dead_letters_total", pipeline,
                QByteArray::number(snapshot.totals.deadLetters));

    std::vector<QByteArray> nodeLabels;
    nodeLabels.reserve(snapshot.nodes.size());
    for (const state::MetricSample &s : snapshot.nodes)
        nodeLabels.push_back(pipeline + ',' + label("node", s.node));
    for (const NodeFamily &family : kNodeFamilies) {
        writeHeader(out, family.name, family.type, family.help);
        for (std::size_t i = 0; i < snapshot.nodes.size(); ++i) {
            if (const std::optional<QByteArray> value = family.value(snapshot.nodes[i]))
                writeSample(out, family.name, nodeLabels[i], *value);
        }
    }
    // The state as a label, one series per node that has one (alert on status="lost").
    writeHeader(out, "weir_upstream_status", "gauge",
                "The state of what a source's upstream keeps for it, as the status label (a "
                "replication slot's wal_status: reserved, extended, unreserved, lost).");
    for (std::size_t i = 0; i < snapshot.nodes.size(); ++i) {
        if (!snapshot.nodes[i].upstreamStatus.isEmpty())
            writeSample(out, "weir_upstream_status",
                        nodeLabels[i] + ',' + label("status", snapshot.nodes[i].upstreamStatus),
                        QByteArrayLiteral("1"));
    }
    return out;
}

} // namespace weir::engine
