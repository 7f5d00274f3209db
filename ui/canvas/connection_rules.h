#pragma once

// Whether an edge may be drawn from one port to another, and if not, why — in words a user
// reads in a tooltip. The same rules the validator applies to a saved file, checked up front.

#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QSet>
#include <QString>

namespace weir::ui {

// Checks edges that share one fixed end (the port a drag started from) against many
// candidate ports. The graph is walked once, when the check is made, not once per candidate:
// lighting up the ports of a large pipeline at the start of a drag stays cheap.
class ConnectionCheck final
{
public:
    // `fixedIsOutput`: the fixed end is the edge's source (a drag from an output port).
    ConnectionCheck(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                    model::PortRef fixed, bool fixedIsOutput);

    // Empty when the edge between the fixed end and `other` is allowed.
    QString refusal(const model::PortRef &other) const;

private:
    const model::Pipeline &m_pipeline;
    const model::NodeTypeRegistry &m_registry;
    model::PortRef m_fixed;
    bool m_fixedIsOutput;
    // Nodes an edge with the fixed end would close a loop through: the fixed source's
    // upstream, or the fixed target's downstream (the fixed node itself included).
    QSet<QString> m_loopNodes;
};

// Empty when the edge is allowed.
QString connectionRefusal(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                          const model::PortRef &from, const model::PortRef &to);

} // namespace weir::ui
