#include "model/pipeline.h"

namespace weir::model {

PortRef PortRef::parse(const QString &text)
{
    const qsizetype dot = text.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0)
        return PortRef{text, QString()};
    return PortRef{text.left(dot), text.mid(dot + 1)};
}

QString Problem::toString() const
{
    QString out = file.isEmpty() ? QStringLiteral("pipeline") : file;
    if (line > 0) {
        out += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            out += QLatin1Char(':') + QString::number(column);
    }
    out += QStringLiteral(": ");
    if (!nodeId.isEmpty())
        out += QStringLiteral("node '%1'").arg(nodeId);
    if (!field.isEmpty())
        out += (nodeId.isEmpty() ? QString() : QStringLiteral(", ")) +
               QStringLiteral("field '%1'").arg(field);
    if (!nodeId.isEmpty() || !field.isEmpty())
        out += QStringLiteral(": ");
    return out + message;
}

const NodeSpec *Pipeline::node(const QString &id) const
{
    for (const NodeSpec &n : nodes) {
        if (n.id == id)
            return &n;
    }
    return nullptr;
}

std::vector<const EdgeSpec *> Pipeline::edgesInto(const QString &nodeId) const
{
    std::vector<const EdgeSpec *> out;
    for (const EdgeSpec &e : edges) {
        if (e.to.node == nodeId)
            out.push_back(&e);
    }
    return out;
}

std::vector<const EdgeSpec *> Pipeline::edgesFrom(const QString &nodeId) const
{
    std::vector<const EdgeSpec *> out;
    for (const EdgeSpec &e : edges) {
        if (e.from.node == nodeId)
            out.push_back(&e);
    }
    return out;
}

} // namespace weir::model
