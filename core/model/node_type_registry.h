#pragma once

// NodeTypeRegistry: every node type Weir knows (id, category, ports, config schema) and how to
// make its runtime. Adding a connector means one registerType call; nothing else changes.
// Filled once at start-up on the main thread; read-only (and so thread-safe) after.

#include "common/result.h"
#include "model/config_schema.h"
#include "model/node_config.h"
#include "record/batch.h"

#include <QString>
#include <functional>
#include <map>
#include <memory>
#include <vector>

// The runtimes live in engine/; the model only names them (it never includes engine headers).
namespace weir::engine {
class SourceNode;
class TransformNode;
class SinkNode;
} // namespace weir::engine

namespace weir::model {

enum class NodeCategory
{
    Source,
    Transform,
    Sink
};

QString nodeCategoryName(NodeCategory category);

struct PortSpec
{
    QString name; // "in", "out"
    QString dataType = QStringLiteral("records");
};

using SourceFactory = std::function<std::unique_ptr<engine::SourceNode>(const NodeConfig &)>;
using TransformFactory = std::function<std::unique_ptr<engine::TransformNode>(const NodeConfig &)>;
using SinkFactory = std::function<std::unique_ptr<engine::SinkNode>(const NodeConfig &)>;

// A problem with one config field, found by a node type's own checks.
struct FieldProblem
{
    QString field;
    QString message;
};
// Checks beyond what the schema can say (the shape of a rules object, say).
using ConfigCheck = std::function<std::vector<FieldProblem>(const QJsonObject &config)>;

// A dead letter as this node type wrote it, to be read back for a retry.
struct DeadLetterText
{
    std::string stream;
    QString payload;
    qint64 offset = 0;
    qint64 line = 0;
    std::string location;
};
// Reads a dead letter's payload the way the node reads its input (a CSV row with the node's
// own delimiter, quote, header and empty-as-null options) into a one-record batch. Node types
// whose dead letters are JSON objects of the record's fields need none.
using DeadLetterReader =
    std::function<Result<record::Batch>(const NodeConfig &config, const DeadLetterText &letter)>;

// Reaches what the node reads or writes with these settings (defaults applied, secrets
// resolved) and says in one line what it found, e.g. the server's version and whether the
// table exists; an error says what failed. Blocks: call it off the GUI thread.
using ConnectionTest = std::function<Result<QString>(const NodeConfig &config)>;

// Problems only the server can show, found by asking it (a wal_level that rules out change
// data capture): what the Problems panel lists beside the validator's. None when the server
// cannot be reached (Test connection says why). Blocks: call it off the GUI thread.
using ServerCheck = std::function<std::vector<FieldProblem>(const NodeConfig &config)>;

struct NodeType
{
    QString id;          // "csv.source"
    QString displayName; // "CSV file"
    NodeCategory category = NodeCategory::Transform;
    QString description;
    std::vector<PortSpec> inputs;
    std::vector<PortSpec> outputs;
    ConfigSchema schema;
    SourceFactory makeSource;        // set for sources
    TransformFactory makeTransform;  // set for transforms
    SinkFactory makeSink;            // set for sinks
    ConfigCheck checkConfig;         // optional
    DeadLetterReader readDeadLetter; // optional: for raw-text dead letters
    ConnectionTest testConnection;   // optional: for nodes that talk to a server
    ServerCheck checkServer;         // optional: for nodes that talk to a server
    // A source whose records carry their table's key columns (record::Batch::key): a sink fed
    // only by such sources may leave its `key` empty.
    bool recordsCarryKeys = false;

    const PortSpec *input(const QString &name) const;
    const PortSpec *output(const QString &name) const;
};

class NodeTypeRegistry final
{
public:
    void registerType(NodeType type);
    const NodeType *find(const QString &id) const;
    // Sorted by category, then id.
    std::vector<const NodeType *> types() const;

    // The registry with every built-in node type.
    static const NodeTypeRegistry &builtin();

private:
    std::map<QString, NodeType> m_types;
};

// Standard ports, shared by most node types.
std::vector<PortSpec> recordsIn();
std::vector<PortSpec> recordsOut();

} // namespace weir::model
