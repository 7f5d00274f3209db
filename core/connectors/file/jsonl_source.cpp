#include "connectors/file/jsonl_source.h"

#include "common/time_format.h"
#include "connectors/file/json_line_parser.h"

#include <QFileInfo>

namespace weir::connectors::file {

Status JsonlSource::open(const engine::NodeContext &context,
                         const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    if (Status s = m_reader.open(m_path); !s) {
        Error e = s.error();
        e.nodeId = context.nodeId;
        return e;
    }
    m_stream = QFileInfo(m_path).canonicalFilePath().toStdString();
    for (const record::SourcePosition &p : resumeFrom) {
        if (p.stream == m_stream && p.offset > m_reader.offset()) {
            if (Status s = m_reader.seek(p.offset); !s) {
                Error e = s.error();
                e.nodeId = context.nodeId;
                return e;
            }
        }
    }
    m_index.clear();
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        m_index.emplace(m_columns[i], i);
    m_schema = record::makeSchema(m_columns);
    return {};
}

std::size_t JsonlSource::columnOf(const std::string &key, std::size_t guess) const
{
    if (guess < m_columns.size() && m_columns[guess] == key)
        return guess;
    const auto it = m_index.find(key);
    return it == m_index.end() ? std::string::npos : it->second;
}

bool JsonlSource::fits(const Parsed &record) const
{
    if (m_fixedColumns)
        return true;
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        if (columnOf(record.fields[i].first, i) == std::string::npos)
            return false;
    }
    return true;
}

void JsonlSource::growSchema(const Parsed &record)
{
    for (const auto &[key, value] : record.fields) {
        if (m_index.emplace(key, m_columns.size()).second)
            m_columns.push_back(key);
    }
    m_schema = record::makeSchema(m_columns);
}

void JsonlSource::append(record::Batch &batch, Parsed &record)
{
    record::ChangeEvent &e = batch.events.emplace_back();
    e.offset = record.offset;
    e.line = record.line;
    e.after.resize(m_columns.size());
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        const std::size_t column = columnOf(record.fields[i].first, i);
        if (column != std::string::npos)
            e.after[column] = std::move(record.fields[i].second);
    }
}

Result<engine::StepStatus> JsonlSource::next(record::Batch &batch,
                                             std::vector<engine::DeadLetter> &dead)
{
    batch.stream = m_stream;
    batch.ingestTimeMicros = common::nowMicros();
    bool more = true;
    // A record held back for a wider schema opens this batch.
    if (m_pending) {
        growSchema(*m_pending);
        append(batch, *m_pending);
        m_pending.reset();
    }
    Parsed record;
    JsonLineError error;
    const std::int64_t start = m_reader.offset();
    // A batch also ends after 16 MiB of input: huge records must not make one batch of many.
    while (batch.events.size() < static_cast<std::size_t>(m_batchSize) &&
           m_reader.offset() - start < (std::int64_t{16} << 20)) {
        if (!m_reader.next(m_line, record.offset, record.line)) {
            if (const Status &s = m_reader.status(); !s) {
                Error e = s.error();
                e.nodeId = m_context.nodeId;
                return e;
            }
            more = false;
            break;
        }
        if (m_line.find_first_not_of(" \t") == std::string::npos)
            continue;
        if (!parseJsonObjectLine(m_line, record.fields, error)) {
            dead.push_back(engine::DeadLetter{m_stream, record.offset, record.line,
                                              QStringLiteral("line %1, column %2: %3")
                                                  .arg(record.line)
                                                  .arg(error.column)
                                                  .arg(QString::fromStdString(error.message)),
                                              QString::fromStdString(m_line)});
            continue;
        }
        if (!fits(record)) {
            if (!batch.events.empty()) {
                m_pending = std::move(record);
                record = Parsed{};
                break;
            }
            growSchema(record);
        }
        append(batch, record);
    }
    batch.schema = m_schema;
    const std::int64_t end = m_pending ? m_pending->offset : m_reader.offset();
    batch.positions = {record::SourcePosition{m_context.nodeId.toStdString(), m_stream, end}};
    return more || m_pending ? engine::StepStatus::HaveMore : engine::StepStatus::Finished;
}

engine::SourceProgress JsonlSource::progress() const
{
    engine::SourceProgress p;
    p.bytesBehind = std::max<std::int64_t>(0, m_reader.fileSize() - m_reader.offset());
    return p;
}

} // namespace weir::connectors::file
