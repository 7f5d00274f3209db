#include "canvas/auto_layout.h"

#include <QHash>
#include <algorithm>
#include <vector>

namespace weir::ui {

std::map<QString, QPointF> layeredLayout(const model::Pipeline &pipeline, LayoutSpacing spacing)
{
    // Longest-path layering by Kahn's order; nodes left in a cycle keep layer 0.
    QHash<QString, int> layer;
    QHash<QString, int> pending;
    QHash<QString, std::vector<QString>> successors;
    QHash<QString, std::vector<QString>> predecessors;
    for (const model::NodeSpec &n : pipeline.nodes) {
        layer.insert(n.id, 0);
        pending.insert(n.id, 0);
    }
    for (const model::EdgeSpec &e : pipeline.edges) {
        if (!layer.contains(e.from.node) || !layer.contains(e.to.node))
            continue;
        successors[e.from.node].push_back(e.to.node);
        predecessors[e.to.node].push_back(e.from.node);
        ++pending[e.to.node];
    }
    std::vector<QString> ready;
    for (const model::NodeSpec &n : pipeline.nodes) {
        if (pending.value(n.id) == 0)
            ready.push_back(n.id);
    }
    for (std::size_t i = 0; i < ready.size(); ++i) {
        const QString id = ready[i];
        for (const QString &next : successors.value(id)) {
            layer[next] = std::max(layer.value(next), layer.value(id) + 1);
            if (--pending[next] == 0)
                ready.push_back(next);
        }
    }

    int columns = 0;
    for (int l : layer)
        columns = std::max(columns, l + 1);
    std::vector<std::vector<QString>> byLayer(static_cast<std::size_t>(columns));
    for (const model::NodeSpec &n : pipeline.nodes)
        byLayer[static_cast<std::size_t>(layer.value(n.id))].push_back(n.id);

    // Barycentre ordering, one sweep left to right, starting from document order.
    QHash<QString, qreal> row;
    for (auto &ids : byLayer) {
        std::vector<std::pair<qreal, QString>> keyed;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto &preds = predecessors.value(ids[i]);
            qreal key = static_cast<qreal>(i);
            if (!preds.empty()) {
                qreal sum = 0;
                for (const QString &p : preds)
                    sum += row.value(p);
                key = sum / static_cast<qreal>(preds.size());
            }
            keyed.emplace_back(key, ids[i]);
        }
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (std::size_t i = 0; i < keyed.size(); ++i) {
            ids[i] = keyed[i].second;
            row.insert(ids[i], static_cast<qreal>(i));
        }
    }

    std::map<QString, QPointF> positions;
    for (std::size_t c = 0; c < byLayer.size(); ++c) {
        for (std::size_t r = 0; r < byLayer[c].size(); ++r)
            positions[byLayer[c][r]] = QPointF(static_cast<qreal>(c) * spacing.column,
                                               static_cast<qreal>(r) * spacing.row);
    }
    return positions;
}

} // namespace weir::ui
