#include "model/pipeline_validator.h"

#include "common/secrets.h"
#include "model/alert_rules.h"
#include "record/batch.h"

#include <QFile>
#include <QJsonArray>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace weir::model {
namespace {

class Checker
{
public:
    Checker(const NodeTypeRegistry &registry, const Pipeline &pipeline, const QString &file,
            const SourceLocator *locator, std::vector<Problem> &problems)
        : m_registry(registry), m_pipeline(pipeline), m_file(file), m_locator(locator),
          m_problems(problems)
    {
    }

    void run()
    {
        checkSettings();
        checkNodes();
        checkEdges();
        if (m_edgesOk) {
            checkCycles();
            checkReachability();
            checkTableRouting();
        }
    }

private:
    void nodeProblem(const QString &nodeId, const QString &field, const QString &message,
                     int occurrence = 0)
    {
        const int line = m_locator ? m_locator->nodeLine(nodeId, field, occurrence) : 0;
        m_problems.push_back(Problem{m_file, line, 0, nodeId, field, message});
    }

    void edgeProblem(const EdgeSpec &edge, const QString &message)
    {
        const int line =
            m_locator ? m_locator->edgeLine(edge.from.toString(), edge.to.toString()) : 0;
        m_problems.push_back(Problem{
            m_file,
            line,
            0,
            {},
            QStringLiteral("edges"),
            QStringLiteral("%1 -> %2: %3").arg(edge.from.toString(), edge.to.toString(), message)});
        m_edgesOk = false;
    }

    void checkSettings()
    {
        auto rules = AlertRules::fromSettings(m_pipeline.settings);
        if (!rules) {
            const QString field = rules.error().message.section(QLatin1Char(':'), 0, 0);
            const int line = m_locator ? m_locator->keyLine(QStringLiteral("settings")) : 0;
            m_problems.push_back(Problem{m_file, line, 0, {}, field, rules.error().message});
        }
    }

    void checkNodes()
    {
        std::map<QString, int> seen;
        for (const NodeSpec &node : m_pipeline.nodes) {
            if (const int earlier = seen[node.id]++; earlier > 0)
                nodeProblem(node.id, QStringLiteral("id"), QStringLiteral("duplicate node id"),
                            earlier);
            if (node.type.isEmpty())
                continue; // already reported by the reader
            const NodeType *type = m_registry.find(node.type);
            if (!type) {
                nodeProblem(node.id, QStringLiteral("type"),
                            QStringLiteral("unknown node type '%1' (see weir-run list-node-types)")
                                .arg(node.type));
                continue;
            }
            checkConfig(node, *type);
        }
        if (m_pipeline.nodes.empty())
            m_problems.push_back(
                Problem{m_file,
                        m_locator ? m_locator->keyLine(QStringLiteral("nodes")) : 0,
                        0,
                        {},
                        QStringLiteral("nodes"),
                        QStringLiteral("the pipeline has no nodes")});
    }

    void checkConfig(const NodeSpec &node, const NodeType &type)
    {
        for (auto it = node.config.begin(); it != node.config.end(); ++it) {
            if (!type.schema.field(it.key()))
                nodeProblem(node.id, it.key(),
                            QStringLiteral("unknown config field for %1").arg(type.id));
        }
        for (const ConfigField &field : type.schema.fields()) {
            const QJsonValue value = node.config.value(field.key);
            const bool absent = value.isUndefined() || value.isNull() ||
                                (value.isString() && value.toString().isEmpty()) ||
                                (value.isArray() && value.toArray().isEmpty());
            if (absent) {
                if (field.required)
                    nodeProblem(node.id, field.key, QStringLiteral("required field is missing"));
                continue;
            }
            const QString problem = checkValue(field, value);
            if (!problem.isEmpty())
                nodeProblem(node.id, field.key, problem);
            checkReferences(node, field.key, value);
        }
        if (type.checkConfig) {
            const bool keysFromUpstream =
                type.category == NodeCategory::Sink && everySourceUpstreamCarriesKeys(node.id);
            for (const FieldProblem &p : type.checkConfig(type.schema.withDefaults(node.config))) {
                if (p.field == QLatin1String("key") && keysFromUpstream)
                    continue; // the records name their key (an upstream table's)
                nodeProblem(node.id, p.field, p.message);
            }
        }
    }

    // Whether `id` is fed by at least one source and every source upstream of it has records
    // that carry their key (NodeType::recordsCarryKeys).
    bool everySourceUpstreamCarriesKeys(const QString &id) const
    {
        std::set<QString> seen{id};
        std::vector<QString> todo{id};
        bool anySource = false;
        while (!todo.empty()) {
            const QString at = todo.back();
            todo.pop_back();
            for (const EdgeSpec &e : m_pipeline.edges) {
                if (e.to.node != at || !seen.insert(e.from.node).second)
                    continue;
                const NodeType *type = typeOf(e.from.node);
                if (type && type->category == NodeCategory::Source) {
                    if (!type->recordsCarryKeys)
                        return false;
                    anySource = true;
                }
                todo.push_back(e.from.node);
            }
        }
        return anySource;
    }

    static QString rangeProblem(const ConfigField &field, double v)
    {
        if (field.minimum && v < *field.minimum)
            return QStringLiteral("%1 is below the minimum %2").arg(v).arg(*field.minimum);
        if (field.maximum && v > *field.maximum)
            return QStringLiteral("%1 is above the maximum %2").arg(v).arg(*field.maximum);
        return {};
    }

    static QString checkValue(const ConfigField &field, const QJsonValue &value)
    {
        switch (field.kind) {
        case FieldKind::String:
        case FieldKind::Path:
        case FieldKind::Sql:
            return value.isString() ? QString() : QStringLiteral("expected text");
        case FieldKind::Secret:
            if (!value.isString())
                return QStringLiteral("expected text");
            if (!common::isSecretReference(value.toString()))
                return QStringLiteral("secrets are never stored in clear: use ${env:NAME} or "
                                      "${keychain:NAME}");
            return {};
        case FieldKind::Int: {
            const double v = value.toDouble();
            if (!value.isDouble() || std::floor(v) != v)
                return QStringLiteral("expected a whole number");
            return rangeProblem(field, v);
        }
        case FieldKind::Double:
            if (!value.isDouble())
                return QStringLiteral("expected a number");
            return rangeProblem(field, value.toDouble());
        case FieldKind::Bool:
            return value.isBool() ? QString() : QStringLiteral("expected true or false");
        case FieldKind::Enum:
            if (!value.isString() || !field.options.contains(value.toString()))
                return QStringLiteral("expected one of: %1")
                    .arg(field.options.join(QStringLiteral(", ")));
            return {};
        case FieldKind::Columns: {
            if (!value.isArray())
                return QStringLiteral("expected a list of column names");
            for (const QJsonValue item : value.toArray()) {
                if (!item.isString() || item.toString().isEmpty())
                    return QStringLiteral("expected a list of column names");
            }
            return {};
        }
        case FieldKind::Mapping:
            return value.isObject() ? QString() : QStringLiteral("expected an object");
        }
        return {};
    }

    void checkReferences(const NodeSpec &node, const QString &key, const QJsonValue &value)
    {
        if (value.isString()) {
            QStringList unresolved;
            common::resolveSecretReferences(value.toString(), &unresolved);
            for (const QString &ref : unresolved) {
                const QString why =
                    ref.startsWith(QLatin1String("env:"))
                        ? QStringLiteral("environment variable %1 is not set").arg(ref.mid(4))
                        : QStringLiteral("the OS keychain is only reachable from the desktop app");
                nodeProblem(node.id, key, QStringLiteral("unresolved ${%1}: %2").arg(ref, why));
            }
        } else if (value.isArray()) {
            for (const QJsonValue item : value.toArray())
                checkReferences(node, key, item);
        } else if (value.isObject()) {
            const QJsonObject o = value.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                checkReferences(node, key, it.value());
        }
    }

    const NodeType *typeOf(const QString &nodeId) const
    {
        const NodeSpec *node = m_pipeline.node(nodeId);
        return node ? m_registry.find(node->type) : nullptr;
    }

    static QString portNames(const std::vector<PortSpec> &ports)
    {
        QStringList names;
        for (const PortSpec &p : ports)
            names << p.name;
        return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
    }

    void checkEdges()
    {
        std::set<std::pair<QString, QString>> seen;
        for (const EdgeSpec &edge : m_pipeline.edges) {
            if (!seen.insert({edge.from.toString(), edge.to.toString()}).second) {
                edgeProblem(edge, QStringLiteral("duplicate edge"));
                continue;
            }
            const NodeSpec *from = m_pipeline.node(edge.from.node);
            const NodeSpec *to = m_pipeline.node(edge.to.node);
            if (!from || !to) {
                edgeProblem(
                    edge, QStringLiteral("no node '%1'").arg(from ? edge.to.node : edge.from.node));
                continue;
            }
            const NodeType *fromType = m_registry.find(from->type);
            const NodeType *toType = m_registry.find(to->type);
            if (!fromType || !toType)
                continue; // the unknown type is reported on the node
            const PortSpec *out = fromType->output(edge.from.port);
            const PortSpec *in = toType->input(edge.to.port);
            if (!out) {
                edgeProblem(edge, QStringLiteral("%1 (%2) has no output port '%3' (outputs: %4)")
                                      .arg(from->id, from->type, edge.from.port,
                                           portNames(fromType->outputs)));
            } else if (!in) {
                edgeProblem(edge,
                            QStringLiteral("%1 (%2) has no input port '%3' (inputs: %4)")
                                .arg(to->id, to->type, edge.to.port, portNames(toType->inputs)));
            } else if (out->dataType != in->dataType) {
                edgeProblem(edge, QStringLiteral("port types differ: %1 carries %2, %3 takes %4")
                                      .arg(edge.from.toString(), out->dataType, edge.to.toString(),
                                           in->dataType));
            }
        }
    }

    void checkCycles()
    {
        std::map<QString, int> state; // 0 new, 1 on stack, 2 done
        std::function<bool(const QString &)> visit = [&](const QString &id) {
            state[id] = 1;
            for (const EdgeSpec *e : m_pipeline.edgesFrom(id)) {
                const int s = state[e->to.node];
                if (s == 1) {
                    nodeProblem(e->to.node, {},
                                QStringLiteral("is part of a cycle (edge %1 -> %2)")
                                    .arg(e->from.toString(), e->to.toString()));
                    return true;
                }
                if (s == 0 && visit(e->to.node))
                    return true;
            }
            state[id] = 2;
            return false;
        };
        for (const NodeSpec &n : m_pipeline.nodes) {
            if (state[n.id] == 0 && visit(n.id))
                return;
        }
    }

    void checkReachability()
    {
        for (const NodeSpec &node : m_pipeline.nodes) {
            const NodeType *type = typeOf(node.id);
            if (!type)
                continue;
            if (type->category != NodeCategory::Source && m_pipeline.edgesInto(node.id).empty())
                nodeProblem(node.id, {}, QStringLiteral("has no input: connect something to it"));
            if (type->category == NodeCategory::Source && !reachesSink(node.id))
                nodeProblem(node.id, {},
                            QStringLiteral("has no path to a sink: its records would go nowhere"));
            else if (type->category == NodeCategory::Transform &&
                     m_pipeline.edgesFrom(node.id).empty())
                nodeProblem(node.id, {}, QStringLiteral("has no output: connect it to a sink"));
        }
    }

    bool reachesSink(const QString &start) const
    {
        for (const QString &id : downstreamOf(start)) {
            const NodeType *type = typeOf(id);
            if (type && type->category == NodeCategory::Sink)
                return true;
        }
        return false;
    }

    // Every node a path from `start` reaches, `start` included.
    std::set<QString> downstreamOf(const QString &start) const
    {
        std::set<QString> seen{start};
        std::vector<QString> todo{start};
        while (!todo.empty()) {
            const QString id = todo.back();
            todo.pop_back();
            for (const EdgeSpec *e : m_pipeline.edgesFrom(id)) {
                if (seen.insert(e->to.node).second)
                    todo.push_back(e->to.node);
            }
        }
        return seen;
    }

    // Sources of tables (change data capture) send the rows of each table in its own batches;
    // a sink downstream of two or more tables with a plain table name would mix them in one.
    void checkTableRouting()
    {
        std::map<QString, std::pair<qsizetype, QStringList>> upstream; // sink: tables, sources
        for (const NodeSpec &source : m_pipeline.nodes) {
            const qsizetype tables = source.config.value(QStringLiteral("tables")).toArray().size();
            const NodeType *type = typeOf(source.id);
            if (!type || type->category != NodeCategory::Source || tables == 0)
                continue;
            for (const QString &id : downstreamOf(source.id)) {
                const NodeType *sinkType = typeOf(id);
                if (sinkType && sinkType->category == NodeCategory::Sink) {
                    upstream[id].first += tables;
                    upstream[id].second << source.id;
                }
            }
        }
        for (const auto &[id, from] : upstream) {
            const QJsonValue table = m_pipeline.node(id)->config.value(QStringLiteral("table"));
            if (from.first < 2 || !table.isString() ||
                record::namesUpstreamTable(table.toString().toStdString()))
                continue;
            nodeProblem(id, QStringLiteral("table"),
                        QStringLiteral("receives the rows of %1 tables (from %2): put {table} in "
                                       "the table name (e.g. \"{table}\" or \"raw_{table}\") so "
                                       "each goes into its own table")
                            .arg(from.first)
                            .arg(from.second.join(QStringLiteral(", "))));
        }
    }

    const NodeTypeRegistry &m_registry;
    const Pipeline &m_pipeline;
    QString m_file;
    const SourceLocator *m_locator;
    std::vector<Problem> &m_problems;
    bool m_edgesOk = true;
};

} // namespace

std::vector<Problem> PipelineValidator::validate(const Pipeline &pipeline, const QString &fileName,
                                                 const SourceLocator *locator) const
{
    std::vector<Problem> problems;
    Checker(m_registry, pipeline, fileName, locator, problems).run();
    return problems;
}

CheckedPipeline loadValidPipeline(const QString &path, const NodeTypeRegistry &registry)
{
    CheckedPipeline out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.problems.push_back(
            Problem{path, 0, 0, {}, {}, QStringLiteral("cannot read: %1").arg(file.errorString())});
        return out;
    }
    const QByteArray text = file.readAll();
    PipelineParse parsed = parsePipeline(text, path);
    out.problems = std::move(parsed.problems);
    if (!parsed.pipeline)
        return out;
    const SourceLocator locator(text);
    for (Problem &p : PipelineValidator(registry).validate(*parsed.pipeline, path, &locator))
        out.problems.push_back(std::move(p));
    if (out.problems.empty())
        out.pipeline = std::move(parsed.pipeline);
    return out;
}

} // namespace weir::model
