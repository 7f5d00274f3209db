#include "model/node_type_registry.h"

#include <algorithm>

namespace weir::model {

QString nodeCategoryName(NodeCategory category)
{
    switch (category) {
    case NodeCategory::Source:
        return QStringLiteral("source");
    case NodeCategory::Transform:
        return QStringLiteral("transform");
    case NodeCategory::Sink:
        return QStringLiteral("sink");
    }
    return QStringLiteral("unknown");
}

const PortSpec *NodeType::input(const QString &name) const
{
    for (const PortSpec &p : inputs) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

const PortSpec *NodeType::output(const QString &name) const
{
    for (const PortSpec &p : outputs) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

void NodeTypeRegistry::registerType(NodeType type)
{
    const QString id = type.id;
    m_types.insert_or_assign(id, std::move(type));
}

const NodeType *NodeTypeRegistry::find(const QString &id) const
{
    const auto it = m_types.find(id);
    return it == m_types.end() ? nullptr : &it->second;
}

std::vector<const NodeType *> NodeTypeRegistry::types() const
{
    std::vector<const NodeType *> out;
    out.reserve(m_types.size());
    for (const auto &[id, type] : m_types)
        out.push_back(&type);
    std::stable_sort(out.begin(), out.end(), [](const NodeType *a, const NodeType *b) {
        return a->category < b->category;
    });
    return out;
}

std::vector<PortSpec> recordsIn()
{
    return {PortSpec{QStringLiteral("in")}};
}

std::vector<PortSpec> recordsOut()
{
    return {PortSpec{QStringLiteral("out")}};
}

} // namespace weir::model
