#include "run/run_controller.h"

#include "document/pipeline_document.h"
#include "model/pipeline_validator.h"
#include "state/state_store.h"

#include <QCoreApplication>
#include <QStringList>

namespace weir::ui {

RunController::RunController(PipelineDocument *document, QString statePath, QObject *parent)
    : QObject(parent), m_document(document), m_statePath(std::move(statePath))
{
}

RunController::~RunController()
{
    // The engine joins its threads in its destructor; it must go before the store it writes.
    delete m_engine;
    m_engine = nullptr;
}

Status RunController::ensureStore()
{
    if (m_store)
        return {};
    auto store = state::StateStore::open(m_statePath);
    if (!store)
        return store.error();
    m_store = std::move(store.value());
    return {};
}

Status RunController::start(bool once)
{
    if (m_engine)
        return makeError(ErrorCode::Invalid,
                         QCoreApplication::translate("weir::ui", "a run is already going on"));
    if (m_document->filePath().isEmpty())
        return makeError(ErrorCode::Invalid,
                         QCoreApplication::translate(
                             "weir::ui", "save the pipeline first: relative paths in it are "
                                         "relative to the pipeline file"));
    const model::Pipeline &pipeline = m_document->pipeline();
    const auto problems =
        model::PipelineValidator(m_document->registry()).validate(pipeline, m_document->filePath());
    if (!problems.empty()) {
        QStringList lines;
        for (const model::Problem &p : problems)
            lines << p.toString();
        return makeError(ErrorCode::Invalid, lines.join(QLatin1Char('\n')));
    }
    if (Status s = ensureStore(); !s)
        return s;

    engine::EngineOptions options;
    options.once = once;
    m_queueCapacity = options.queueCapacity;
    m_engine = new engine::Engine(pipeline, m_document->filePath(), m_store.get(),
                                  m_document->registry(), options, this);
    connect(m_engine, &engine::Engine::runStarted, this, &RunController::runStarted);
    connect(m_engine, &engine::Engine::metricsUpdated, this, &RunController::metricsUpdated);
    connect(m_engine, &engine::Engine::alertChanged, this, &RunController::alertChanged);
    connect(m_engine, &engine::Engine::runFinished, this, &RunController::onFinished);
    m_engine->start();
    emit runningChanged(true);
    return {};
}

void RunController::stop()
{
    if (m_engine)
        m_engine->stop();
}

void RunController::onFinished(const engine::RunOutcome &outcome)
{
    engine::Engine *done = m_engine;
    m_engine = nullptr;
    // Deleted later: this slot runs inside one of its signals.
    done->deleteLater();
    emit runFinished(outcome);
    emit runningChanged(false);
}

} // namespace weir::ui
