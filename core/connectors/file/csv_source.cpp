#include "connectors/file/csv_source.h"

#include "common/time_format.h"

#include <QFileInfo>

namespace weir::connectors::file {

namespace {

char firstChar(const QString &text, char fallback)
{
    return text.isEmpty() ? fallback : text.at(0).toLatin1();
}

} // namespace

CsvOptions CsvOptions::fromConfig(const model::NodeConfig &config)
{
    CsvOptions o;
    o.path = config.path(QStringLiteral("path"));
    const QString delimiter = config.string(QStringLiteral("delimiter"));
    o.delimiter = delimiter == QLatin1String("\\t") ? '\t' : firstChar(delimiter, ',');
    o.quote = firstChar(config.string(QStringLiteral("quote")), '"');
    o.header = config.boolean(QStringLiteral("header"));
    for (const QString &c : config.stringList(QStringLiteral("columns")))
        o.columns.push_back(c.toStdString());
    o.emptyAsNull = config.boolean(QStringLiteral("empty_as_null"));
    o.batchSize = static_cast<int>(config.integer(QStringLiteral("batch_size")));
    return o;
}

Status CsvSource::open(const engine::NodeContext &context,
                       const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    auto fail = [&](Error e) {
        e.nodeId = context.nodeId;
        return Status(std::move(e));
    };
    if (Status s = m_reader.open(m_options.path, m_options.delimiter, m_options.quote); !s)
        return fail(s.error());
    const QFileInfo info(m_options.path);
    m_stream = info.canonicalFilePath().toStdString();

    std::vector<std::string> names = m_options.columns;
    if (m_options.header) {
        std::size_t count = 0;
        CsvRecordInfo header;
        if (!m_reader.next(m_fields, count, header))
            return fail(makeError(
                ErrorCode::Invalid,
                QStringLiteral("%1 is empty: expected a header line").arg(m_options.path)));
        if (!header.error.empty())
            return fail(makeError(ErrorCode::Invalid,
                                  QStringLiteral("%1, header: %2")
                                      .arg(m_options.path, QString::fromStdString(header.error))));
        if (names.empty())
            names.assign(m_fields.begin(), m_fields.begin() + static_cast<std::ptrdiff_t>(count));
        else if (names.size() != count)
            return fail(makeError(
                ErrorCode::Invalid,
                QStringLiteral("%1: the header has %2 fields but %3 columns are configured")
                    .arg(m_options.path)
                    .arg(count)
                    .arg(names.size())));
    }
    if (names.empty())
        return fail(
            makeError(ErrorCode::Invalid,
                      QStringLiteral("no column names: turn on header or list the columns")));
    m_schema = record::makeSchema(std::move(names));
    for (const record::SourcePosition &p : resumeFrom) {
        if (p.stream == m_stream && p.offset > m_reader.offset()) {
            if (Status s = m_reader.seek(p.offset); !s)
                return fail(s.error());
        }
    }
    return {};
}

Result<engine::StepStatus> CsvSource::next(record::Batch &batch,
                                           std::vector<engine::DeadLetter> &dead)
{
    batch.schema = m_schema;
    batch.stream = m_stream;
    batch.ingestTimeMicros = common::nowMicros();
    batch.events.reserve(static_cast<std::size_t>(m_options.batchSize));
    const std::size_t width = m_schema->size();
    CsvRecordInfo info;
    std::size_t count = 0;
    bool more = true;
    while (batch.events.size() < static_cast<std::size_t>(m_options.batchSize)) {
        if (!m_reader.next(m_fields, count, info)) {
            more = false;
            break;
        }
        if (!info.error.empty() || count != width) {
            const QString why = info.error.empty()
                                    ? QStringLiteral("line %1: expected %2 fields, found %3")
                                          .arg(info.line)
                                          .arg(width)
                                          .arg(count)
                                    : QStringLiteral("line %1: %2")
                                          .arg(info.line)
                                          .arg(QString::fromStdString(info.error));
            dead.push_back(engine::DeadLetter{m_stream, info.startOffset, info.line, why,
                                              QString::fromStdString(m_reader.rawText(info))});
            continue;
        }
        record::ChangeEvent &e = batch.events.emplace_back();
        e.offset = info.startOffset;
        e.line = info.line;
        e.after.reserve(width);
        for (std::size_t i = 0; i < width; ++i) {
            if (m_fields[i].empty() && m_options.emptyAsNull)
                e.after.emplace_back();
            else
                e.after.push_back(record::Value::fromString(m_fields[i]));
        }
    }
    batch.positions = {
        record::SourcePosition{m_context.nodeId.toStdString(), m_stream, m_reader.offset()}};
    return more ? engine::StepStatus::HaveMore : engine::StepStatus::Finished;
}

engine::SourceProgress CsvSource::progress() const
{
    engine::SourceProgress p;
    p.bytesBehind = std::max<std::int64_t>(0, m_reader.fileSize() - m_reader.offset());
    return p;
}

} // namespace weir::connectors::file
