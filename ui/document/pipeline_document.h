#pragma once

// PipelineDocument: one open pipeline — the observable model, the undo stack every edit goes
// through, and the file it came from. The modified marker is the undo stack's clean state.
// Lives on the GUI thread.

#include "common/result.h"
#include "document/pipeline_model.h"
#include "model/node_type_registry.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

namespace weir::ui {

class PipelineDocument final : public QObject
{
    Q_OBJECT

public:
    explicit PipelineDocument(const model::NodeTypeRegistry &registry, QObject *parent = nullptr);

    const model::NodeTypeRegistry &registry() const { return m_registry; }
    PipelineModel *model() { return &m_model; }
    const PipelineModel *model() const { return &m_model; }
    QUndoStack *undoStack() { return &m_undoStack; }
    const model::Pipeline &pipeline() const { return m_model.pipeline(); }

    QString filePath() const { return m_filePath; }
    // "orders.weir.json", or "Untitled" before the first save.
    QString displayName() const;
    bool isModified() const { return !m_undoStack.isClean(); }

    void newPipeline();
    // Opens a file even when it has validation problems (the user is here to fix them);
    // refuses text that is not a pipeline at all or has a format this Weir does not read.
    Status load(const QString &path);
    // Loads `pipeline` as if read from `path` but leaves it modified (autosave recovery).
    void restore(model::Pipeline pipeline, const QString &path);
    Status save();
    Status saveAs(const QString &path);
    QByteArray toJson() const;

signals:
    void filePathChanged(const QString &path);
    void modifiedChanged(bool modified);

private:
    void setFilePath(const QString &path);

    const model::NodeTypeRegistry &m_registry;
    PipelineModel m_model;
    QUndoStack m_undoStack;
    QString m_filePath;
};

} // namespace weir::ui
