#include "document/pipeline_model.h"

#include <QRegularExpression>
#include <algorithm>

namespace weir::ui {

PipelineModel::PipelineModel(QObject *parent) : QObject(parent)
{
}

int PipelineModel::nodeIndex(const QString &id) const
{
    const auto &nodes = m_pipeline.nodes;
    const auto it = std::find_if(nodes.begin(), nodes.end(),
                                 [&](const model::NodeSpec &n) { return n.id == id; });
    return it == nodes.end() ? -1 : static_cast<int>(it - nodes.begin());
}

int PipelineModel::edgeIndex(const model::EdgeSpec &edge) const
{
    const auto &edges = m_pipeline.edges;
    const auto it = std::find(edges.begin(), edges.end(), edge);
    return it == edges.end() ? -1 : static_cast<int>(it - edges.begin());
}

QString PipelineModel::uniqueNodeId(const QString &base) const
{
    QString stem = base.isEmpty() ? QStringLiteral("node") : base;
    if (nodeIndex(stem) < 0)
        return stem;
    // A copy of "check_2" becomes "check_3", not "check_2_2".
    static const QRegularExpression numbered(QStringLiteral("^(.+)_\\d+$"));
    if (const QRegularExpressionMatch m = numbered.match(stem); m.hasMatch())
        stem = m.captured(1);
    for (int n = 2;; ++n) {
        QString candidate = stem + QLatin1Char('_') + QString::number(n);
        if (nodeIndex(candidate) < 0)
            return candidate;
    }
}

void PipelineModel::reset(model::Pipeline pipeline)
{
    m_pipeline = std::move(pipeline);
    emit modelReset();
    emit changed();
}

void PipelineModel::insertNode(int index, model::NodeSpec node)
{
    auto &nodes = m_pipeline.nodes;
    index = std::clamp(index, 0, static_cast<int>(nodes.size()));
    const QString id = node.id;
    nodes.insert(nodes.begin() + index, std::move(node));
    emit nodeAdded(id);
    emit changed();
}

model::NodeSpec PipelineModel::takeNode(const QString &id)
{
    const int index = nodeIndex(id);
    if (index < 0)
        return {};
    auto &nodes = m_pipeline.nodes;
    model::NodeSpec node = std::move(nodes[static_cast<std::size_t>(index)]);
    nodes.erase(nodes.begin() + index);
    emit nodeRemoved(id);
    emit changed();
    return node;
}

void PipelineModel::insertEdge(int index, const model::EdgeSpec &edge)
{
    auto &edges = m_pipeline.edges;
    index = std::clamp(index, 0, static_cast<int>(edges.size()));
    edges.insert(edges.begin() + index, edge);
    emit edgeAdded(edge);
    emit changed();
}

void PipelineModel::removeEdge(const model::EdgeSpec &edge)
{
    const int index = edgeIndex(edge);
    if (index < 0)
        return;
    m_pipeline.edges.erase(m_pipeline.edges.begin() + index);
    emit edgeRemoved(edge);
    emit changed();
}

void PipelineModel::setNodePosition(const QString &id, QPointF position)
{
    model::NodeSpec *node = mutableNode(id);
    if (!node || (node->x == position.x() && node->y == position.y()))
        return;
    node->x = position.x();
    node->y = position.y();
    emit nodeMoved(id);
    emit changed();
}

void PipelineModel::setConfigValue(const QString &id, const QString &key, const QJsonValue &value)
{
    model::NodeSpec *node = mutableNode(id);
    if (!node || node->config.value(key) == value)
        return;
    if (value.isUndefined())
        node->config.remove(key);
    else
        node->config.insert(key, value);
    emit nodeConfigChanged(id, key);
    emit changed();
}

void PipelineModel::setNodeLabel(const QString &id, const QString &label)
{
    model::NodeSpec *node = mutableNode(id);
    if (!node || node->label == label)
        return;
    node->label = label;
    emit nodeLabelChanged(id);
    emit changed();
}

void PipelineModel::setName(const QString &name)
{
    if (m_pipeline.name == name)
        return;
    m_pipeline.name = name;
    emit changed();
}

void PipelineModel::setSettings(const QJsonObject &settings)
{
    if (m_pipeline.settings == settings)
        return;
    m_pipeline.settings = settings;
    emit settingsChanged();
    emit changed();
}

model::NodeSpec *PipelineModel::mutableNode(const QString &id)
{
    const int index = nodeIndex(id);
    return index < 0 ? nullptr : &m_pipeline.nodes[static_cast<std::size_t>(index)];
}

} // namespace weir::ui
