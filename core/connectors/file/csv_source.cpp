#include "connectors/file/csv_source.h"

#include "common/time_format.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <algorithm>

namespace weir::connectors::file {

namespace {

// A batch ends after this much input even when it holds fewer than batch_size rows: rows of a
// megabyte would otherwise make one batch of 10,000 hold gigabytes.
constexpr std::int64_t kMaxBatchInputBytes = std::int64_t{16} << 20;

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

Result<std::vector<std::string>> CsvSource::readColumnNames()
{
    std::vector<std::string> names = m_options.columns;
    if (m_options.header) {
        std::size_t count = 0;
        CsvRecordInfo header;
        if (!m_reader.next(m_fields, count, header))
            return makeError(
                ErrorCode::Invalid,
                QStringLiteral("%1 is empty: expected a header line").arg(m_options.path));
        if (!header.error.empty())
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("%1, header: %2")
                                 .arg(m_options.path, QString::fromStdString(header.error)));
        if (names.empty())
            names.assign(m_fields.begin(), m_fields.begin() + static_cast<std::ptrdiff_t>(count));
        else if (names.size() != count)
            return makeError(
                ErrorCode::Invalid,
                QStringLiteral("%1: the header has %2 fields but %3 columns are configured")
                    .arg(m_options.path)
                    .arg(count)
                    .arg(names.size()));
    }
    if (names.empty())
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("no column names: turn on header or list the columns"));
    // Every sink needs distinct names; saying so here beats a failed CREATE TABLE later.
    for (std::size_t i = 1; i < names.size(); ++i) {
        if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
            names.begin() + static_cast<std::ptrdiff_t>(i))
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("%1: column \"%2\" appears twice; list distinct "
                                            "names under columns")
                                 .arg(m_options.path, QString::fromStdString(names[i])));
    }
    return names;
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
    m_stream = QFileInfo(m_options.path).canonicalFilePath().toStdString();
    auto names = readColumnNames();
    if (!names)
        return fail(names.error());
    m_schema = record::makeSchema(std::move(names.value()));
    // A position at or before the end of the header means nothing was consumed yet.
    for (const record::SourcePosition &p : resumeFrom) {
        if (p.stream == m_stream && p.offset > m_reader.offset()) {
            if (Status s = m_reader.seek(p.offset); !s)
                return fail(s.error());
        }
    }
    return {};
}

engine::DeadLetter CsvSource::deadLetter(const CsvRecordInfo &info, std::size_t fieldCount) const
{
    const QString why =
        info.error.empty()
            ? QStringLiteral("line %1: expected %2 fields, found %3")
                  .arg(info.line)
                  .arg(m_schema->size())
                  .arg(fieldCount)
            : QStringLiteral("line %1: %2").arg(info.line).arg(QString::fromStdString(info.error));
    return engine::DeadLetter{m_stream, info.startOffset, info.line, why,
                              QString::fromStdString(m_reader.rawText(info))};
}

void CsvSource::appendEvent(record::Batch &batch, const CsvRecordInfo &info)
{
    const std::size_t width = m_schema->size();
    record::ChangeEvent &e = batch.addEvent(width);
    e.offset = info.startOffset;
    e.line = info.line;
    for (std::size_t i = 0; i < width; ++i) {
        if (m_fields[i].empty() && m_options.emptyAsNull && !info.quoted[i])
            e.after[i].setNull();
        else
            e.after[i].assignText(record::ValueKind::String, m_fields[i]);
    }
}

Result<engine::StepStatus> CsvSource::next(record::Batch &batch,
                                           std::vector<engine::DeadLetter> &dead)
{
    batch.schema = m_schema;
    batch.stream = m_stream;
    batch.ingestTimeMicros = common::nowMicros();
    const auto batchSize = static_cast<std::size_t>(m_options.batchSize);
    batch.events.reserve(batchSize);
    CsvRecordInfo info;
    std::size_t count = 0;
    bool more = true;
    const std::int64_t start = m_reader.offset();
    while (batch.events.size() < batchSize && m_reader.offset() - start < kMaxBatchInputBytes) {
        if (!m_reader.next(m_fields, count, info)) {
            if (const Status &s = m_reader.status(); !s) {
                Error e = s.error();
                e.nodeId = m_context.nodeId;
                return e;
            }
            more = false;
            break;
        }
        if (!info.error.empty() || count != m_schema->size())
            dead.push_back(deadLetter(info, count));
        else
            appendEvent(batch, info);
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

Result<record::Batch> CsvSource::readDeadLetter(const CsvOptions &options,
                                                const model::DeadLetterText &letter)
{
    // The row goes through a CsvSource of its own, behind the header line of the file it came
    // from, so quoting, delimiters, header and empty fields mean exactly what they meant.
    QByteArray text;
    if (options.header) {
        CsvReader original;
        std::vector<std::string> cells;
        std::size_t count = 0;
        CsvRecordInfo header;
        if (!original.open(QString::fromStdString(letter.stream), options.delimiter,
                           options.quote) ||
            !original.next(cells, count, header) || !header.error.empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("cannot read the header of %1")
                                                      .arg(QString::fromStdString(letter.stream)));
        text = QByteArray::fromStdString(original.rawText(header));
        while (text.endsWith('\n') || text.endsWith('\r'))
            text.chop(1);
        text += '\n';
    }
    text += letter.payload.toUtf8() + '\n';
    QTemporaryFile row;
    if (!row.open() || row.write(text) != text.size() || !row.flush())
        return makeError(ErrorCode::Io, QStringLiteral("cannot write a temporary file"));
    CsvOptions one = options;
    one.path = row.fileName();
    one.batchSize = 2;
    CsvSource source(one);
    if (Status s = source.open(engine::NodeContext{}, {}); !s)
        return s.error();
    record::Batch batch;
    std::vector<engine::DeadLetter> dead;
    if (auto step = source.next(batch, dead); !step)
        return step.error();
    if (!dead.empty()) {
        // Say where the row is in its own file, not in the temporary one.
        QString why = dead.front().error;
        why.replace(QRegularExpression(QStringLiteral("^line \\d+")),
                    QStringLiteral("line %1").arg(letter.line));
        return makeError(ErrorCode::Invalid, why);
    }
    if (batch.events.size() != 1)
        return makeError(ErrorCode::Invalid, QStringLiteral("line %1: expected one row, found %2")
                                                 .arg(letter.line)
                                                 .arg(batch.events.size()));
    batch.positions.clear();
    batch.stream = letter.stream;
    record::ChangeEvent &e = batch.events.front();
    e.offset = letter.offset;
    e.line = letter.line;
    e.location = letter.location;
    return batch;
}

} // namespace weir::connectors::file
