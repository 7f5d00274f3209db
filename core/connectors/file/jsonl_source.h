#pragma once

// JsonlSource: reads a JSON Lines file (one flat object per line) as read events. Without
// configured columns the schema grows when a new key appears, so no field is ever dropped; a
// malformed line goes to the dead-letter queue with its line and column. One worker thread.

#include "connectors/file/line_reader.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <optional>
#include <unordered_map>

namespace weir::connectors::file {

class JsonlSource final : public engine::SourceNode
{
public:
    JsonlSource(QString path, std::vector<std::string> columns, int batchSize)
        : m_path(std::move(path)), m_fixedColumns(!columns.empty()), m_columns(std::move(columns)),
          m_batchSize(batchSize)
    {
    }

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    // Returns Finished with the last records once the file is exhausted.
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;

private:
    struct Parsed
    {
        std::int64_t offset = 0;
        std::int64_t line = 0;
        std::vector<std::pair<std::string, record::Value>> fields;
    };

    // True when every key of the record has a column (or columns are fixed).
    bool fits(const Parsed &record) const;
    void growSchema(const Parsed &record);
    void append(record::Batch &batch, Parsed &record);

    QString m_path;
    bool m_fixedColumns = false;
    std::vector<std::string> m_columns;
    int m_batchSize = 10000;
    engine::NodeContext m_context;
    LineReader m_reader;
    std::string m_stream;
    record::SchemaPtr m_schema;
    std::unordered_map<std::string, std::size_t> m_index;
    std::optional<Parsed> m_pending; // a record that needs a wider schema than the last batch's
    std::string m_line;
    std::int64_t m_consumedOffset = 0; // end of the last line handed out or sent to the DLQ
};

} // namespace weir::connectors::file
