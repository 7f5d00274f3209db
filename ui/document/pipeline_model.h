#pragma once

// PipelineModel: the one observable truth of the designer — a model::Pipeline plus signals
// for every change. The scene, inspector and panels mirror it; only undo commands mutate it.
// Lives on the GUI thread.

#include "model/pipeline.h"

#include <QJsonValue>
#include <QObject>
#include <QPointF>
#include <QString>

namespace weir::ui {

class PipelineModel final : public QObject
{
    Q_OBJECT

public:
    explicit PipelineModel(QObject *parent = nullptr);

    const model::Pipeline &pipeline() const { return m_pipeline; }
    const model::NodeSpec *node(const QString &id) const { return m_pipeline.node(id); }
    // Index of the node or edge in document order; -1 when absent.
    int nodeIndex(const QString &id) const;
    int edgeIndex(const model::EdgeSpec &edge) const;
    bool hasEdge(const model::EdgeSpec &edge) const { return edgeIndex(edge) >= 0; }
    // An id not used yet, derived from `base` ("csv", "csv_2", …).
    QString uniqueNodeId(const QString &base) const;

    // Replaces everything (open, new); views rebuild.
    void reset(model::Pipeline pipeline);

    // Mutations: for undo commands only. Indices keep document order across undo/redo, so an
    // undone edit saves byte-identical to before.
    void insertNode(int index, model::NodeSpec node);
    model::NodeSpec takeNode(const QString &id);
    void insertEdge(int index, const model::EdgeSpec &edge);
    void removeEdge(const model::EdgeSpec &edge);
    void setNodePosition(const QString &id, QPointF position);
    // An undefined value removes the key.
    void setConfigValue(const QString &id, const QString &key, const QJsonValue &value);
    void setNodeLabel(const QString &id, const QString &label);
    void setName(const QString &name);
    // The pipeline's "settings" object (alert thresholds, …).
    void setSettings(const QJsonObject &settings);

signals:
    void modelReset();
    void nodeAdded(const QString &id);
    void nodeRemoved(const QString &id);
    void edgeAdded(const weir::model::EdgeSpec &edge);
    void edgeRemoved(const weir::model::EdgeSpec &edge);
    void nodeMoved(const QString &id);
    void nodeConfigChanged(const QString &id, const QString &key);
    void nodeLabelChanged(const QString &id);
    void settingsChanged();
    // After any change at all: validation and the modified marker listen to this one.
    void changed();

private:
    model::NodeSpec *mutableNode(const QString &id);

    model::Pipeline m_pipeline;
};

} // namespace weir::ui
