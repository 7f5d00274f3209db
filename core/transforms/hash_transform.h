#pragma once

// HashTransform: adds a fingerprint column — md5 or sha256 over chosen columns (all by
// default), so a target can tell changed rows from unchanged ones. One worker thread.

#include "engine/node.h"
#include "model/node_type_registry.h"

#include <QCryptographicHash>
#include <string>
#include <vector>

namespace weir::transforms {

class HashTransform final : public engine::TransformNode
{
public:
    bool keepsEventOffsets() const override { return true; }
    HashTransform(std::vector<std::string> columns, std::string target,
                  QCryptographicHash::Algorithm algorithm)
        : m_columns(std::move(columns)), m_target(std::move(target)), m_algorithm(algorithm)
    {
    }

    Status process(record::Batch &batch, std::vector<engine::DeadLetter> &dead) override;

private:
    std::vector<std::string> m_columns; // empty: every column
    std::string m_target;
    QCryptographicHash::Algorithm m_algorithm;
    record::SchemaPtr m_inputSchema;  // the last input schema seen…
    record::SchemaPtr m_outputSchema; // …and the schema with the fingerprint column added
    std::vector<int> m_indexes;
    int m_targetIndex = -1;
};

void registerHashTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
