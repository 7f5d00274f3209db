#include "panels/server_checks.h"

#include "common/secrets.h"
#include "document/pipeline_document.h"
#include "engine/run_plan.h"
#include "model/node_type_registry.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <memory>

namespace weir::ui {

namespace {

// Long enough not to connect to every half-typed host name.
constexpr int kSettleMs = 1000;

} // namespace

ServerChecks::ServerChecks(PipelineDocument *document, QObject *parent)
    : QObject(parent), m_document(document)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &ServerChecks::refresh);
}

QByteArray ServerChecks::keyOf(const model::NodeSpec &node) const
{
    // The pipeline's folder too: relative paths and references resolve against it.
    return node.type.toUtf8() + '\n' + m_document->filePath().toUtf8() + '\n' +
           QJsonDocument(node.config).toJson(QJsonDocument::Compact);
}

std::vector<model::Problem> ServerChecks::problems() const
{
    std::vector<model::Problem> out;
    const QString file =
        m_document->filePath().isEmpty() ? m_document->displayName() : m_document->filePath();
    for (const model::NodeSpec &node : m_document->pipeline().nodes) {
        const auto check = m_checks.constFind(node.id);
        if (check == m_checks.constEnd() || check->checkedKey != keyOf(node))
            continue;
        for (const model::FieldProblem &p : check->found) {
            model::Problem problem;
            problem.file = file;
            problem.nodeId = node.id;
            problem.field = p.field;
            problem.message = p.message;
            out.push_back(std::move(problem));
        }
    }
    return out;
}

void ServerChecks::refresh()
{
    QHash<QString, int> seen; // a duplicated id is the validator's problem; never checked
    for (const model::NodeSpec &node : m_document->pipeline().nodes)
        ++seen[node.id];
    // Removed nodes' answers go (one still running goes when it ends): a node put back, by an
    // undo say, is asked again.
    for (auto it = m_checks.begin(); it != m_checks.end();) {
        if (!seen.contains(it.key()) && !it->running)
            it = m_checks.erase(it);
        else
            ++it;
    }
    for (const model::NodeSpec &node : m_document->pipeline().nodes) {
        if (seen.value(node.id) > 1)
            continue;
        const model::NodeType *type = m_document->registry().find(node.type);
        if (!type || !type->checkServer)
            continue;
        const QByteArray key = keyOf(node);
        NodeCheck &check = m_checks[node.id];
        // A running check is followed by another once it ends, if the settings moved on.
        if (!check.running && check.checkedKey != key)
            start(node, key);
    }
}

void ServerChecks::start(const model::NodeSpec &node, const QByteArray &key)
{
    const model::NodeType *type = m_document->registry().find(node.type);
    const QString pipelineDir = m_document->filePath().isEmpty()
                                    ? QString()
                                    : QFileInfo(m_document->filePath()).absolutePath();
    QStringList secrets;
    auto config = engine::runtimeConfig(node, *type, pipelineDir, &secrets);
    NodeCheck &check = m_checks[node.id];
    if (!config) { // the validator already says what is wrong with the settings
        check.checkedKey = key;
        check.found.clear();
        return;
    }
    check.running = true;
    auto found = std::make_shared<std::vector<model::FieldProblem>>();
    QThread *worker = QThread::create([test = type->checkServer, config = std::move(config.value()),
                                       found] { *found = test(config); });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, nodeId = node.id, key, found, secrets] {
        NodeCheck &done = m_checks[nodeId];
        done.running = false;
        for (model::FieldProblem &p : *found)
            p.message = common::maskSecrets(p.message, secrets);
        done.checkedKey = key;
        done.found = std::move(*found);
        emit changed();
        refresh(); // settings changed while it ran
    });
    worker->start();
}

} // namespace weir::ui
