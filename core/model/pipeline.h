#pragma once

// Pipeline: the document — nodes with their config and canvas position, edges between ports,
// settings. A plain value: the engine takes an immutable copy per run, the GUI wraps one.

#include <QJsonObject>
#include <QString>
#include <vector>

namespace weir::model {

struct NodeSpec
{
    QString id;
    QString type;
    QString label;
    QJsonObject config;
    double x = 0.0;
    double y = 0.0;
};

struct PortRef
{
    QString node;
    QString port;

    // "node.port"; the port is what follows the last dot.
    static PortRef parse(const QString &text);
    QString toString() const { return node + QLatin1Char('.') + port; }
    friend bool operator==(const PortRef &, const PortRef &) = default;
};

struct EdgeSpec
{
    PortRef from;
    PortRef to;
    friend bool operator==(const EdgeSpec &, const EdgeSpec &) = default;
};

// A problem found in a pipeline file, located as precisely as possible.
struct Problem
{
    QString file;
    int line = 0;   // 1-based; 0 when unknown
    int column = 0; // 1-based; 0 when unknown
    QString nodeId;
    QString field; // config field or document key
    QString message;

    // file:line:column: node 'id', field 'x': message
    QString toString() const;
};

class Pipeline final
{
public:
    static constexpr int currentFormat = 1;

    int format = currentFormat;
    QString name;
    std::vector<NodeSpec> nodes;
    std::vector<EdgeSpec> edges;
    QJsonObject settings;

    const NodeSpec *node(const QString &id) const;
    std::vector<const EdgeSpec *> edgesInto(const QString &nodeId) const;
    std::vector<const EdgeSpec *> edgesFrom(const QString &nodeId) const;
};

} // namespace weir::model
