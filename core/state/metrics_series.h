#pragma once

// MetricsSeries: turns the cumulative per-node samples of the StateStore (and of live
// snapshots) into the time series the monitor charts show: records/s read and written, error
// rate, dead letters and lag, in fixed buckets over a sliding window. One builder serves both
// the history load and the live updates, so a chart never mixes two ways of counting.

#include "state/state_store.h"

#include <QString>
#include <map>
#include <utility>
#include <vector>

namespace weir::state {

struct SeriesPoint
{
    qint64 timeMs = 0; // start of the bucket
    double value = 0.0;
};

struct MetricsSeries
{
    std::vector<SeriesPoint> readPerSecond;    // pipeline: read by sources; node: records in
    std::vector<SeriesPoint> writtenPerSecond; // pipeline: written by sinks; node: records out
    std::vector<SeriesPoint> errorPercent;     // errors per record read (node: per record in);
                                               // buckets that read nothing skipped
    std::vector<SeriesPoint> errors;           // errors in the bucket
    std::vector<SeriesPoint> deadLetters;      // dead letters since the window began
    std::vector<SeriesPoint> lagSeconds;       // worst event-time lag; buckets without lag skipped
    std::vector<SeriesPoint> megabytesBehind;  // sources that know their head; skipped otherwise
};

class MetricsSeriesBuilder
{
public:
    // `node` empty: the whole pipeline, with sources and sinks told apart by `roles`.
    MetricsSeriesBuilder(qint64 windowMs, qint64 bucketMs, QString node,
                         std::map<QString, NodeRole> roles);

    // Samples of one (run, node) must arrive in time order (older ones are dropped as already
    // counted); different pairs may interleave.
    void add(const MetricSample &sample);
    void add(const std::vector<MetricSample> &samples);
    // Drops the buckets that have left the window ending at `nowMs`.
    void slideTo(qint64 nowMs);
    MetricsSeries series() const;

    qint64 windowMs() const { return m_windowMs; }
    qint64 bucketMs() const { return m_bucketMs; }
    const QString &node() const { return m_node; }
    qint64 windowStartMs() const { return m_nowMs - m_windowMs; }

    // The bucket used for a window: about 300 to 1,440 points whatever the window.
    static qint64 bucketFor(qint64 windowMs);

private:
    struct Bucket
    {
        qint64 read = 0;
        qint64 written = 0;
        qint64 errors = 0;
        qint64 deadLetters = 0;
        qint64 lagMs = -1;
        qint64 bytesBehind = -1;
    };
    struct Last
    {
        bool seen = false;
        MetricSample sample;
    };

    bool inScope(const MetricSample &s) const;
    NodeRole roleOf(const QString &node) const;

    qint64 m_windowMs;
    qint64 m_bucketMs;
    QString m_node;
    std::map<QString, NodeRole> m_roles;
    qint64 m_nowMs = 0;
    std::map<qint64, Bucket> m_buckets;                // by bucket start
    std::map<std::pair<qint64, QString>, Last> m_last; // by (run, node)
    // History arrives sorted by (run, node): the previous sample's entry is usually the next
    // one's too, which saves a map lookup per sample on a 24 h load.
    Last *m_lastHit = nullptr;
    std::pair<qint64, QString> m_lastHitKey;
};

} // namespace weir::state
