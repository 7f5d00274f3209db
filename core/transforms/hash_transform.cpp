#include "transforms/hash_transform.h"

namespace weir::transforms {

using model::ConfigField;
using model::FieldKind;

Status HashTransform::process(record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    (void)dead;
    if (batch.empty())
        return {};
    if (batch.schema != m_inputSchema) {
        m_indexes.clear();
        const auto &columns = batch.schema->columns();
        if (m_columns.empty()) {
            for (std::size_t i = 0; i < columns.size(); ++i) {
                if (columns[i] != m_target)
                    m_indexes.push_back(static_cast<int>(i));
            }
        }
        for (const std::string &c : m_columns) {
            const int i = batch.schema->indexOf(c);
            if (i < 0)
                return makeError(ErrorCode::Invalid,
                                 QStringLiteral("column '%1' is not in the records")
                                     .arg(QString::fromStdString(c)));
            m_indexes.push_back(i);
        }
        m_targetIndex = batch.schema->indexOf(m_target);
        std::vector<std::string> out = columns;
        if (m_targetIndex < 0) {
            out.push_back(m_target);
            m_targetIndex = static_cast<int>(columns.size());
        }
        m_inputSchema = batch.schema;
        m_outputSchema = record::makeSchema(std::move(out));
    }
    QCryptographicHash hash(m_algorithm);
    for (record::ChangeEvent &e : batch.events) {
        std::vector<record::Value> &values = e.op == record::Op::Delete ? e.before : e.after;
        hash.reset();
        // Fields are separated by a unit separator and null differs from empty text.
        for (int i : m_indexes) {
            const auto index = static_cast<std::size_t>(i);
            const record::Value &v = index < values.size() ? values[index] : record::Value();
            const std::string text = v.isNull() ? std::string("\x1e") : v.toText();
            hash.addData(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
            hash.addData(QByteArrayView("\x1f", 1));
        }
        const QByteArray hex = hash.result().toHex();
        values.resize(m_outputSchema->size());
        values[static_cast<std::size_t>(m_targetIndex)] =
            record::Value::fromString(hex.toStdString());
    }
    batch.schema = m_outputSchema;
    return {};
}

void registerHashTransform(model::NodeTypeRegistry &registry)
{
    model::NodeType t;
    t.id = QStringLiteral("hash");
    t.displayName = QStringLiteral("Fingerprint");
    t.category = model::NodeCategory::Transform;
    t.description = QStringLiteral(
        "Adds a hex fingerprint of each record (md5 or sha256 over the chosen columns), to "
        "spot changed rows or build surrogate keys.");
    t.inputs = model::recordsIn();
    t.outputs = model::recordsOut();
    t.schema = {
        ConfigField::of(
            QStringLiteral("columns"), FieldKind::Columns, QStringLiteral("Columns"),
            QStringLiteral("Columns that go into the fingerprint, in this order. Empty: "
                           "all of them.")),
        ConfigField::of(QStringLiteral("target"), FieldKind::String,
                        QStringLiteral("Target column"),
                        QStringLiteral("Column that receives the fingerprint."))
            .withDefault(QStringLiteral("row_hash")),
        ConfigField::of(QStringLiteral("algorithm"), FieldKind::Enum, QStringLiteral("Algorithm"),
                        QStringLiteral("md5 (short, fast) or sha256."))
            .withDefault(QStringLiteral("sha256"))
            .withOptions({QStringLiteral("md5"), QStringLiteral("sha256")}),
    };
    t.makeTransform =
        [](const model::NodeConfig &config) -> std::unique_ptr<engine::TransformNode> {
        std::vector<std::string> columns;
        for (const QString &c : config.stringList(QStringLiteral("columns")))
            columns.push_back(c.toStdString());
        const auto algorithm = config.string(QStringLiteral("algorithm")) == QLatin1String("md5")
                                   ? QCryptographicHash::Md5
                                   : QCryptographicHash::Sha256;
        return std::make_unique<HashTransform>(
            std::move(columns), config.string(QStringLiteral("target")).toStdString(), algorithm);
    };
    registry.registerType(std::move(t));
}

} // namespace weir::transforms
