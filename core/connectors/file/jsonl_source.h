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

    // Continues after the position of this file's stream in `resumeFrom`. Line numbers stay
    // exact after a resume: the reader counts the newlines before that offset, one sequential
    // pass over the part already read.
    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    // Up to batch_size records, all under one schema. Returns HaveMore while the file may hold
    // more, and Finished from the call that reaches its end: that last batch may still carry
    // records and always carries the end position. Without fixed columns a record with a new
    // key ends the batch before it and opens the next one under the wider schema; the
    // position then lies at the start of that record, otherwise just after the last line
    // consumed (dead and blank ones included).
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    // bytesBehind: the file size at open minus the bytes consumed.
    engine::SourceProgress progress() const override;

private:
    struct Parsed
    {
        std::int64_t offset = 0;
        std::int64_t line = 0;
        std::vector<std::pair<std::string, record::Value>> fields;
    };

    // The column of `key`, trying `guess` first (keys mostly come in column order); npos when
    // it has none.
    std::size_t columnOf(const std::string &key, std::size_t guess) const;
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
