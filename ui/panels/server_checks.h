#pragma once

// ServerChecks: the node types' server checks (NodeType::checkServer), run for the document's
// nodes off the GUI thread, so the Problems panel can list what only a server can tell (a
// PostgreSQL whose wal_level rules out change data capture). A node is checked again when its
// settings change, about a second after the last edit, one check per node at a time; answers
// for settings the node no longer has are dropped. Lives on the GUI thread.

#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <vector>

namespace weir::ui {

class PipelineDocument;

class ServerChecks final : public QObject
{
    Q_OBJECT

public:
    explicit ServerChecks(PipelineDocument *document, QObject *parent = nullptr);

    // What the checks found for the nodes as they are set now.
    std::vector<model::Problem> problems() const;
    // Checks, after the settle delay, every node whose settings changed since its last check.
    void scheduleRefresh() { m_settle.start(); }

signals:
    void changed(); // a check ended: problems() may have another answer

private:
    struct NodeCheck
    {
        QByteArray checkedKey;                  // the settings the answer is for
        std::vector<model::FieldProblem> found; // masked: no secret in a message
        bool running = false;
    };

    void refresh();
    QByteArray keyOf(const model::NodeSpec &node) const;
    void start(const model::NodeSpec &node, const QByteArray &key);

    PipelineDocument *m_document;
    QHash<QString, NodeCheck> m_checks; // by node id
    QTimer m_settle;
};

} // namespace weir::ui
