#include "model/pipeline_json.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace weir::model {
namespace {

const QStringList kTopLevelKeys = {QStringLiteral("format"), QStringLiteral("name"),
                                   QStringLiteral("nodes"), QStringLiteral("edges"),
                                   QStringLiteral("settings")};
const QStringList kNodeKeys = {QStringLiteral("id"), QStringLiteral("type"),
                               QStringLiteral("label"), QStringLiteral("config"),
                               QStringLiteral("position")};

class ShapeReader
{
public:
    ShapeReader(const QString &fileName, const SourceLocator &locator,
                std::vector<Problem> &problems)
        : m_file(fileName), m_locator(locator), m_problems(problems)
    {
    }

    void add(const QString &field, const QString &message, const QString &nodeId = {})
    {
        const int line =
            nodeId.isEmpty() ? m_locator.keyLine(field) : m_locator.nodeLine(nodeId, field);
        m_problems.push_back(Problem{m_file, line, 0, nodeId, field, message});
    }

    void readNode(const QJsonValue &value, int index, Pipeline &out)
    {
        const QString where = QStringLiteral("nodes[%1]").arg(index);
        if (!value.isObject()) {
            add(where, QStringLiteral("a node must be a JSON object"));
            return;
        }
        const QJsonObject o = value.toObject();
        NodeSpec node;
        node.id = o.value(QStringLiteral("id")).toString();
        if (node.id.isEmpty()) {
            add(where, QStringLiteral("a node needs a non-empty string 'id'"));
            return;
        }
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!kNodeKeys.contains(it.key()))
                add(it.key(),
                    QStringLiteral("unknown node key (expected one of: %1)")
                        .arg(kNodeKeys.join(QStringLiteral(", "))),
                    node.id);
        }
        const QJsonValue type = o.value(QStringLiteral("type"));
        if (!type.isString() || type.toString().isEmpty())
            add(QStringLiteral("type"), QStringLiteral("a node needs a string 'type'"), node.id);
        node.type = type.toString();
        node.label = o.value(QStringLiteral("label")).toString();
        const QJsonValue config = o.value(QStringLiteral("config"));
        if (!config.isUndefined() && !config.isObject())
            add(QStringLiteral("config"), QStringLiteral("'config' must be a JSON object"),
                node.id);
        node.config = config.toObject();
        const QJsonValue position = o.value(QStringLiteral("position"));
        if (!position.isUndefined()) {
            const QJsonArray xy = position.toArray();
            if (!position.isArray() || xy.size() != 2 || !xy[0].isDouble() || !xy[1].isDouble())
                add(QStringLiteral("position"), QStringLiteral("'position' must be [x, y]"),
                    node.id);
            else {
                node.x = xy[0].toDouble();
                node.y = xy[1].toDouble();
            }
        }
        out.nodes.push_back(std::move(node));
    }

    void readEdge(const QJsonValue &value, int index, Pipeline &out)
    {
        const QString where = QStringLiteral("edges[%1]").arg(index);
        const QJsonObject o = value.toObject();
        const QJsonValue from = o.value(QStringLiteral("from"));
        const QJsonValue to = o.value(QStringLiteral("to"));
        if (!value.isObject() || !from.isString() || !to.isString() || o.size() != 2) {
            m_problems.push_back(Problem{m_file,
                                         m_locator.edgeLine(from.toString(), to.toString()),
                                         0,
                                         {},
                                         where,
                                         QStringLiteral("an edge is {\"from\": \"node.port\", "
                                                        "\"to\": \"node.port\"}")});
            return;
        }
        out.edges.push_back(
            EdgeSpec{PortRef::parse(from.toString()), PortRef::parse(to.toString())});
    }

private:
    QString m_file;
    const SourceLocator &m_locator;
    std::vector<Problem> &m_problems;
};

// Pretty printer with a fixed key order for the document's own keys and sorted keys inside
// config and settings objects; arrays of scalars stay on one line.
class Writer
{
public:
    QByteArray out;

    void value(const QJsonValue &v, int indent)
    {
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            std::vector<std::pair<QString, QJsonValue>> members;
            for (auto it = o.begin(); it != o.end(); ++it)
                members.emplace_back(it.key(), it.value());
            object(members, indent);
        } else if (v.isArray()) {
            array(v.toArray(), indent);
        } else {
            scalar(v);
        }
    }

    void object(const std::vector<std::pair<QString, QJsonValue>> &members, int indent)
    {
        if (members.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < members.size(); ++i) {
            pad(indent + 1);
            scalar(QJsonValue(members[i].first));
            out += ": ";
            value(members[i].second, indent + 1);
            out += i + 1 < members.size() ? ",\n" : "\n";
        }
        pad(indent);
        out += '}';
    }

    void array(const QJsonArray &a, int indent)
    {
        bool flat = true;
        for (const QJsonValue item : a)
            flat = flat && !item.isObject() && !item.isArray();
        if (a.isEmpty() || flat) {
            out += '[';
            for (qsizetype i = 0; i < a.size(); ++i) {
                if (i)
                    out += ", ";
                scalar(a[i]);
            }
            out += ']';
            return;
        }
        out += "[\n";
        for (qsizetype i = 0; i < a.size(); ++i) {
            pad(indent + 1);
            value(a[i], indent + 1);
            out += i + 1 < a.size() ? ",\n" : "\n";
        }
        pad(indent);
        out += ']';
    }

    void scalar(const QJsonValue &v)
    {
        // QJsonDocument renders one scalar exactly as JSON when wrapped in an array.
        QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
        out += text.mid(1, text.size() - 2);
    }

    void pad(int indent) { out += QByteArray(static_cast<qsizetype>(indent) * 2, ' '); }
};

QJsonValue number(double v)
{
    return v == static_cast<double>(static_cast<qint64>(v)) ? QJsonValue(static_cast<qint64>(v))
                                                            : QJsonValue(v);
}

} // namespace

int SourceLocator::lineOfOffset(qsizetype offset) const
{
    if (offset < 0)
        return 0;
    return static_cast<int>(m_text.left(offset).count('\n')) + 1;
}

int SourceLocator::columnOfOffset(qsizetype offset) const
{
    const qsizetype lineStart = m_text.lastIndexOf('\n', offset > 0 ? offset - 1 : 0);
    return static_cast<int>(offset - (lineStart < 0 ? 0 : lineStart + 1)) + 1;
}

qsizetype SourceLocator::findKeyValue(const QString &key, const QString &value,
                                      qsizetype from) const
{
    const QString pattern =
        QStringLiteral("\"%1\"\\s*:\\s*\"%2\"")
            .arg(QRegularExpression::escape(key), QRegularExpression::escape(value));
    const QRegularExpression re(pattern);
    const QString text = QString::fromUtf8(m_text);
    const auto m = re.match(text, from);
    if (!m.hasMatch())
        return -1;
    return QStringView(text).left(m.capturedStart()).toUtf8().size();
}

int SourceLocator::nodeLine(const QString &nodeId, const QString &field, int occurrence) const
{
    qsizetype at = findKeyValue(QStringLiteral("id"), nodeId, 0);
    for (int i = 0; i < occurrence && at >= 0; ++i)
        at = findKeyValue(QStringLiteral("id"), nodeId, at + 1);
    if (at < 0)
        return 0;
    if (field.isEmpty())
        return lineOfOffset(at);
    // The node's object starts at the '{' before its id and ends at the next node's id.
    const qsizetype start = m_text.lastIndexOf('{', at);
    const qsizetype nextId = m_text.indexOf("\"id\"", at + 4);
    const QByteArray key = QByteArray("\"") + field.toUtf8() + QByteArray("\"");
    const qsizetype fieldAt = m_text.indexOf(key, start < 0 ? at : start);
    if (fieldAt < 0 || (nextId >= 0 && fieldAt > nextId))
        return lineOfOffset(at);
    return lineOfOffset(fieldAt);
}

int SourceLocator::edgeLine(const QString &from, const QString &to) const
{
    if (from.isEmpty())
        return 0;
    qsizetype at = findKeyValue(QStringLiteral("from"), from, 0);
    while (at >= 0) {
        const qsizetype toAt = findKeyValue(QStringLiteral("to"), to, at);
        if (to.isEmpty() || (toAt >= 0 && m_text.indexOf('}', at) > toAt))
            return lineOfOffset(at);
        at = findKeyValue(QStringLiteral("from"), from, at + 1);
    }
    return 0;
}

int SourceLocator::keyLine(const QString &key) const
{
    const QByteArray quoted = QByteArray("\"") + key.toUtf8() + QByteArray("\"");
    const qsizetype at = m_text.indexOf(quoted);
    return at < 0 ? 0 : lineOfOffset(at);
}

PipelineParse parsePipeline(const QByteArray &json, const QString &fileName)
{
    PipelineParse result;
    const SourceLocator locator(json);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        result.problems.push_back(
            Problem{fileName,
                    locator.lineOfOffset(error.offset),
                    locator.columnOfOffset(error.offset),
                    {},
                    {},
                    QStringLiteral("invalid JSON: %1").arg(error.errorString())});
        return result;
    }
    if (!doc.isObject()) {
        result.problems.push_back(
            Problem{fileName, 1, 1, {}, {}, QStringLiteral("a pipeline file is a JSON object")});
        return result;
    }
    ShapeReader reader(fileName, locator, result.problems);
    const QJsonObject root = doc.object();
    Pipeline pipeline;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!kTopLevelKeys.contains(it.key()))
            reader.add(it.key(), QStringLiteral("unknown key (expected one of: %1)")
                                     .arg(kTopLevelKeys.join(QStringLiteral(", "))));
    }
    const QJsonValue format = root.value(QStringLiteral("format"));
    if (format.isUndefined())
        reader.add(QStringLiteral("format"), QStringLiteral("missing; this Weir writes format 1"));
    else if (!format.isDouble() || format.toInt() != Pipeline::currentFormat)
        reader.add(QStringLiteral("format"),
                   QStringLiteral("unsupported format %1; this Weir reads format %2")
                       .arg(QString::fromUtf8(QJsonDocument(QJsonArray{format})
                                                  .toJson(QJsonDocument::Compact)
                                                  .mid(1)
                                                  .chopped(1)))
                       .arg(Pipeline::currentFormat));
    pipeline.format = format.toInt(Pipeline::currentFormat);
    const QJsonValue name = root.value(QStringLiteral("name"));
    if (!name.isString() || name.toString().trimmed().isEmpty())
        reader.add(QStringLiteral("name"),
                   QStringLiteral("a pipeline needs a non-empty string 'name'"));
    pipeline.name = name.toString();
    const QJsonValue nodes = root.value(QStringLiteral("nodes"));
    if (!nodes.isArray())
        reader.add(QStringLiteral("nodes"), QStringLiteral("'nodes' must be an array"));
    const QJsonArray nodeArray = nodes.toArray();
    for (qsizetype i = 0; i < nodeArray.size(); ++i)
        reader.readNode(nodeArray[i], static_cast<int>(i), pipeline);
    const QJsonValue edges = root.value(QStringLiteral("edges"));
    if (!edges.isUndefined() && !edges.isArray())
        reader.add(QStringLiteral("edges"), QStringLiteral("'edges' must be an array"));
    const QJsonArray edgeArray = edges.toArray();
    for (qsizetype i = 0; i < edgeArray.size(); ++i)
        reader.readEdge(edgeArray[i], static_cast<int>(i), pipeline);
    const QJsonValue settings = root.value(QStringLiteral("settings"));
    if (!settings.isUndefined() && !settings.isObject())
        reader.add(QStringLiteral("settings"), QStringLiteral("'settings' must be an object"));
    pipeline.settings = settings.toObject();
    result.pipeline = std::move(pipeline);
    return result;
}

PipelineParse loadPipelineFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        PipelineParse result;
        result.problems.push_back(
            Problem{path, 0, 0, {}, {}, QStringLiteral("cannot read: %1").arg(file.errorString())});
        return result;
    }
    return parsePipeline(file.readAll(), path);
}

QByteArray serializePipeline(const Pipeline &p)
{
    using Members = std::vector<std::pair<QString, QJsonValue>>;
    Writer w;
    w.out = "{\n  \"format\": " + QByteArray::number(p.format) + ",\n  \"name\": ";
    w.scalar(QJsonValue(p.name));
    w.out += ",\n  \"nodes\": [";
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        const NodeSpec &n = p.nodes[i];
        Members members{{QStringLiteral("id"), n.id}, {QStringLiteral("type"), n.type}};
        if (!n.label.isEmpty())
            members.emplace_back(QStringLiteral("label"), n.label);
        members.emplace_back(QStringLiteral("position"), QJsonArray{number(n.x), number(n.y)});
        members.emplace_back(QStringLiteral("config"), n.config);
        w.out += i ? ",\n    " : "\n    ";
        w.object(members, 2);
    }
    w.out += p.nodes.empty() ? "],\n  \"edges\": [" : "\n  ],\n  \"edges\": [";
    // One edge per line: the lines a diff shows when wiring changes.
    for (std::size_t i = 0; i < p.edges.size(); ++i) {
        w.out += i ? ",\n    {\"from\": " : "\n    {\"from\": ";
        w.scalar(p.edges[i].from.toString());
        w.out += ", \"to\": ";
        w.scalar(p.edges[i].to.toString());
        w.out += '}';
    }
    w.out += p.edges.empty() ? "],\n  \"settings\": " : "\n  ],\n  \"settings\": ";
    w.value(p.settings, 1);
    w.out += "\n}\n";
    return w.out;
}

Status savePipelineFile(const Pipeline &pipeline, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(serializePipeline(pipeline));
    if (!file.commit())
        return makeError(ErrorCode::Io,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace weir::model
