#include "document/pipeline_document.h"

#include "model/pipeline_json.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace weir::ui {

PipelineDocument::PipelineDocument(const model::NodeTypeRegistry &registry, QObject *parent)
    : QObject(parent), m_registry(registry)
{
    connect(&m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    newPipeline();
}

QString PipelineDocument::displayName() const
{
    return m_filePath.isEmpty() ? QCoreApplication::translate("weir::ui", "Untitled")
                                : QFileInfo(m_filePath).fileName();
}

void PipelineDocument::newPipeline()
{
    model::Pipeline pipeline;
    pipeline.name = QStringLiteral("untitled");
    m_undoStack.clear();
    m_model.reset(std::move(pipeline));
    setFilePath({});
    m_undoStack.setClean();
}

Status PipelineDocument::load(const QString &path)
{
    model::PipelineParse parsed = model::loadPipelineFile(path);
    for (const model::Problem &p : parsed.problems) {
        if (!parsed.pipeline || p.field == QLatin1String("format"))
            return makeError(ErrorCode::Invalid, p.toString());
    }
    if (!parsed.pipeline)
        return makeError(
            ErrorCode::Invalid,
            QCoreApplication::translate("weir::ui", "%1: not a pipeline file").arg(path));
    m_undoStack.clear();
    m_model.reset(std::move(*parsed.pipeline));
    setFilePath(QFileInfo(path).absoluteFilePath());
    m_undoStack.setClean();
    return {};
}

void PipelineDocument::restore(model::Pipeline pipeline, const QString &path)
{
    m_undoStack.clear();
    m_model.reset(std::move(pipeline));
    setFilePath(path);
    // Not clean: the recovered edits are not on disk yet.
    m_undoStack.resetClean();
    emit modifiedChanged(true);
}

Status PipelineDocument::save()
{
    return saveAs(m_filePath);
}

Status PipelineDocument::saveAs(const QString &path)
{
    if (path.isEmpty())
        return makeError(ErrorCode::Invalid,
                         QCoreApplication::translate("weir::ui", "no file name to save to"));
    if (Status s = model::savePipelineFile(m_model.pipeline(), path); !s)
        return s;
    setFilePath(QFileInfo(path).absoluteFilePath());
    m_undoStack.setClean();
    return {};
}

QByteArray PipelineDocument::toJson() const
{
    return model::serializePipeline(m_model.pipeline());
}

void PipelineDocument::setFilePath(const QString &path)
{
    if (m_filePath == path)
        return;
    m_filePath = path;
    emit filePathChanged(path);
}

} // namespace weir::ui
