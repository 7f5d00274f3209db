#include "state/metrics_series.h"

#include <algorithm>

namespace weir::state {

MetricsSeriesBuilder::MetricsSeriesBuilder(qint64 windowMs, qint64 bucketMs, QString node,
                                           std::map<QString, NodeRole> roles)
    : m_windowMs(windowMs), m_bucketMs(std::max<qint64>(bucketMs, 1)), m_node(std::move(node)),
      m_roles(std::move(roles))
{
}

qint64 MetricsSeriesBuilder::bucketFor(qint64 windowMs)
{
    constexpr qint64 kSecond = 1000;
    if (windowMs <= kSecond * 10 * 60)
        return kSecond; // 5 min: 300 points
    if (windowMs <= kSecond * 2 * 3600)
        return kSecond * 10; // 1 h: 360 points
    return kSecond * 60;     // 24 h: 1,440 points
}

NodeRole MetricsSeriesBuilder::roleOf(const QString &node) const
{
    auto it = m_roles.find(node);
    return it == m_roles.end() ? NodeRole::Transform : it->second;
}

bool MetricsSeriesBuilder::inScope(const MetricSample &s) const
{
    return m_node.isEmpty() || s.node == m_node;
}

void MetricsSeriesBuilder::add(const std::vector<MetricSample> &samples)
{
    for (const MetricSample &s : samples)
        add(s);
}

void MetricsSeriesBuilder::add(const MetricSample &s)
{
    if (!inScope(s))
        return;
    if (!m_lastHit || m_lastHitKey.first != s.runId || m_lastHitKey.second != s.node) {
        m_lastHitKey = {s.runId, s.node};
        m_lastHit = &m_last[m_lastHitKey]; // std::map: the pointer stays valid
    }
    Last &last = *m_lastHit;
    const bool first = !last.seen;
    // Already counted: a live snapshot that a history load had read before it arrived.
    if (!first && s.timeMs <= last.sample.timeMs)
        return;
    // A counter that went down belongs to a restarted count; take it from zero.
    auto delta = [first](qint64 now, qint64 before) {
        return first || now < before ? now : now - before;
    };
    const MetricSample &prev = last.sample;
    const qint64 in = delta(s.recordsIn, prev.recordsIn);
    const qint64 out = delta(s.recordsOut, prev.recordsOut);
    const qint64 errors = delta(s.errors, prev.errors);
    const qint64 deadLetters = delta(s.deadLetters, prev.deadLetters);
    last.seen = true;
    last.sample = s;

    m_nowMs = std::max(m_nowMs, s.timeMs);
    if (s.timeMs < windowStartMs())
        return; // a baseline only: what it counted happened before the window

    Bucket &b = m_buckets[s.timeMs - s.timeMs % m_bucketMs];
    if (m_node.isEmpty()) {
        const NodeRole role = roleOf(s.node);
        if (role == NodeRole::Source)
            b.read += in;
        if (role == NodeRole::Sink)
            b.written += out;
        if (role == NodeRole::Source && s.bytesBehind >= 0)
            b.bytesBehind = std::max(b.bytesBehind, s.bytesBehind);
    } else {
        b.read += in;
        b.written += out;
        if (s.bytesBehind >= 0)
            b.bytesBehind = std::max(b.bytesBehind, s.bytesBehind);
    }
    b.errors += errors;
    b.deadLetters += deadLetters;
    if (s.lagMs >= 0)
        b.lagMs = std::max(b.lagMs, s.lagMs);
}

void MetricsSeriesBuilder::slideTo(qint64 nowMs)
{
    m_nowMs = std::max(m_nowMs, nowMs);
    const qint64 start = windowStartMs();
    m_buckets.erase(m_buckets.begin(), m_buckets.lower_bound(start - start % m_bucketMs));
}

MetricsSeries MetricsSeriesBuilder::series() const
{
    MetricsSeries out;
    if (m_buckets.empty())
        return out;
    const double bucketSeconds = static_cast<double>(m_bucketMs) / 1000.0;
    const qint64 firstStart = m_buckets.begin()->first;
    const qint64 lastStart = m_buckets.rbegin()->first;
    const std::size_t count = static_cast<std::size_t>((lastStart - firstStart) / m_bucketMs) + 1;
    out.readPerSecond.reserve(count);
    out.writtenPerSecond.reserve(count);
    out.errorPercent.reserve(count);
    out.errors.reserve(count);
    out.deadLetters.reserve(count);
    qint64 deadLetters = 0;
    auto it = m_buckets.begin();
    for (qint64 t = firstStart; t <= lastStart; t += m_bucketMs) {
        // Gaps (no run at the time) are zero for rates and counts, absent for lag.
        Bucket b;
        if (it != m_buckets.end() && it->first == t)
            b = (it++)->second;
        // The newest bucket is still filling: its rate is over the time it has covered so far
        // (samples count the second before them).
        double seconds = bucketSeconds;
        if (t == lastStart)
            seconds =
                std::clamp(static_cast<double>(m_nowMs - t + 1000) / 1000.0, 1.0, bucketSeconds);
        out.readPerSecond.push_back({t, static_cast<double>(b.read) / seconds});
        out.writtenPerSecond.push_back({t, static_cast<double>(b.written) / seconds});
        // Errors per record read in the same bucket; a bucket that read nothing has no rate
        // (its errors are records read earlier, still counted in the errors series).
        if (b.read > 0)
            out.errorPercent.push_back({t, std::min(100.0, 100.0 * static_cast<double>(b.errors) /
                                                               static_cast<double>(b.read))});
        out.errors.push_back({t, static_cast<double>(b.errors)});
        deadLetters += b.deadLetters;
        out.deadLetters.push_back({t, static_cast<double>(deadLetters)});
        if (b.lagMs >= 0)
            out.lagSeconds.push_back({t, static_cast<double>(b.lagMs) / 1000.0});
        if (b.bytesBehind >= 0)
            out.megabytesBehind.push_back({t, static_cast<double>(b.bytesBehind) / 1e6});
    }
    return out;
}

} // namespace weir::state
