#include "connectors/file/zone_sink.h"

#include "common/time_format.h"
#include "record/record_json.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <chrono>
#include <fcntl.h>
#include <unistd.h>

namespace weir::connectors::file {
namespace {

QString shortHash(const std::string &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::fromStdString(text), QCryptographicHash::Sha256)
            .toHex()
            .left(12));
}

void appendCsvField(QByteArray &out, const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        out.append(text.data(), static_cast<qsizetype>(text.size()));
        return;
    }
    out.append('"');
    for (const char c : text) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

Status syncPath(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot sync %1").arg(path));
    const int rc = ::fsync(fd);
    ::close(fd);
    return rc == 0 ? Status()
                   : makeError(ErrorCode::Io, QStringLiteral("cannot sync %1").arg(path));
}

} // namespace

ZoneOptions ZoneOptions::fromConfig(const model::NodeConfig &config)
{
    ZoneOptions o;
    o.root = config.path(QStringLiteral("root"));
    o.zone = config.string(QStringLiteral("zone"));
    o.dataset = config.string(QStringLiteral("dataset"));
    o.csv = config.string(QStringLiteral("format")) == QLatin1String("csv");
    o.partitionBy = config.string(QStringLiteral("partition_by")).toStdString();
    return o;
}

QString ZoneSink::datasetFolder() const
{
    return QDir(m_options.root).filePath(m_options.zone + QLatin1Char('/') + m_options.dataset);
}

QString ZoneSink::manifestPath() const
{
    return QDir(datasetFolder()).filePath(QStringLiteral("_manifest.jsonl"));
}

Status ZoneSink::open(const engine::NodeContext &context)
{
    m_context = context;
    if (!QDir().mkpath(datasetFolder()))
        return makeError(ErrorCode::Io,
                         QStringLiteral("cannot create folder %1").arg(datasetFolder()),
                         context.nodeId);
    // A line cut short by a crash must not swallow the next entry: end it.
    QFile manifest(manifestPath());
    if (manifest.open(QIODevice::ReadWrite) && manifest.size() > 0) {
        manifest.seek(manifest.size() - 1);
        if (manifest.read(1) != "\n") {
            manifest.seek(manifest.size());
            manifest.write("\n");
        }
    }
    return {};
}

Result<std::vector<record::SourcePosition>> ZoneSink::committedPositions()
{
    QFile manifest(manifestPath());
    if (!manifest.exists())
        return std::vector<record::SourcePosition>{};
    if (!manifest.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read %1").arg(manifestPath()),
                         m_context.nodeId);
    std::map<std::pair<std::string, std::string>, record::SourcePosition> latest;
    while (!manifest.atEnd()) {
        const QByteArray line = manifest.readLine().trimmed();
        // A line cut short by a crash is not a commit.
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        if (entry.value(QStringLiteral("pipeline")).toString() != m_context.pipelineName ||
            entry.value(QStringLiteral("sink")).toString() != m_context.nodeId)
            continue;
        // Entries are appended in commit order: the last one for a stream is the latest.
        for (const QJsonValue p : entry.value(QStringLiteral("positions")).toArray()) {
            const QJsonObject o = p.toObject();
            record::SourcePosition position(
                o.value(QStringLiteral("source")).toString().toStdString(),
                o.value(QStringLiteral("stream")).toString().toStdString(),
                o.value(QStringLiteral("offset")).toInteger(),
                o.value(QStringLiteral("cursor")).toString().toStdString());
            latest[{position.sourceNode, position.stream}] = std::move(position);
        }
    }
    std::vector<record::SourcePosition> out;
    out.reserve(latest.size());
    for (auto &[key, position] : latest)
        out.push_back(std::move(position));
    return out;
}

std::string ZoneSink::partitionOf(const record::Batch &batch, const record::ChangeEvent &event,
                                  int column) const
{
    std::int64_t micros = batch.ingestTimeMicros ? batch.ingestTimeMicros : common::nowMicros();
    if (column >= 0) {
        const auto &values = event.current();
        const auto index = static_cast<std::size_t>(column);
        if (index >= values.size() || values[index].isNull())
            return "unknown";
        const record::Value &v = values[index];
        if (v.kind() == record::ValueKind::Timestamp) {
            micros = v.asTimestampMicros();
        } else {
            const auto parsed = common::parseIsoTimestamp(v.toText());
            if (!parsed)
                return "unknown";
            micros = *parsed;
        }
    }
    return common::formatIsoTimestamp(micros).substr(0, 10);
}

QByteArray ZoneSink::render(const record::Batch &batch,
                            const std::vector<const record::ChangeEvent *> &events) const
{
    QByteArray out;
    bool withOp = false;
    for (const auto *e : events)
        withOp = withOp || e->op != record::Op::Read;
    if (!m_options.csv) {
        for (const auto *e : events) {
            std::string json = record::eventToJson(*batch.schema, *e);
            if (withOp) {
                json.pop_back();
                json += std::string(",\"_op\":\"") + static_cast<char>(e->op) + "\"}";
            }
            out.append(json.data(), static_cast<qsizetype>(json.size()));
            out.append('\n');
        }
        return out;
    }
    const auto &columns = batch.schema->columns();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i)
            out.append(',');
        appendCsvField(out, columns[i]);
    }
    out.append(withOp ? ",_op\n" : "\n");
    for (const auto *e : events) {
        const auto &values = e->current();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (i)
                out.append(',');
            if (i < values.size() && !values[i].isNull())
                appendCsvField(out, values[i].toText());
        }
        if (withOp)
            out.append(',').append(static_cast<char>(e->op));
        out.append('\n');
    }
    return out;
}

Status ZoneSink::writeAtomically(const QString &path, const QByteArray &bytes) const
{
    const QFileInfo target(path);
    if (!QDir().mkpath(target.absolutePath()))
        return makeError(ErrorCode::Io,
                         QStringLiteral("cannot create folder %1").arg(target.absolutePath()));
    const QString temporary =
        target.absolutePath() + QStringLiteral("/.") + target.fileName() + QStringLiteral(".tmp");
    {
        QFile file(temporary);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(bytes) != bytes.size() || !file.flush())
            return makeError(
                ErrorCode::Io,
                QStringLiteral("cannot write %1: %2").arg(temporary, file.errorString()));
    }
    if (Status s = syncPath(temporary); !s)
        return s;
    if (std::rename(QFile::encodeName(temporary).constData(),
                    QFile::encodeName(path).constData()) != 0)
        return makeError(ErrorCode::Io,
                         QStringLiteral("cannot rename %1 to %2").arg(temporary, path));
    return {};
}

Result<engine::SinkWriteStats> ZoneSink::write(const record::Batch &batch)
{
    const auto started = std::chrono::steady_clock::now();
    QJsonArray files;
    if (!batch.empty()) {
        const int column =
            m_options.partitionBy.empty() ? -1 : batch.schema->indexOf(m_options.partitionBy);
        if (!m_options.partitionBy.empty() && column < 0)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("partition column '%1' is not in the records")
                                 .arg(QString::fromStdString(m_options.partitionBy)),
                             m_context.nodeId);
        std::map<std::string, std::vector<const record::ChangeEvent *>> byDate;
        for (const record::ChangeEvent &e : batch.events)
            byDate[partitionOf(batch, e, column)].push_back(&e);
        // Named after what the batch covers, cursor included (rows of one watermark share an
        // offset): writing the same batch again replaces the file. A batch that covers no
        // position (late rows of a lookback window) is new each time, so gets a name of its own.
        std::string cover = m_context.nodeId.toStdString();
        for (const auto &p : batch.positions)
            cover += "|" + p.sourceNode + "|" + p.stream + "|" + std::to_string(p.offset) + "|" +
                     p.cursor;
        if (batch.positions.empty())
            cover += "|" + QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
        const QString name = QStringLiteral("part-%1.%2")
                                 .arg(shortHash(cover), m_options.csv ? QStringLiteral("csv")
                                                                      : QStringLiteral("jsonl"));
        for (const auto &[date, events] : byDate) {
            const QString relative =
                QStringLiteral("date=%1/%2").arg(QString::fromStdString(date), name);
            if (Status s = writeAtomically(QDir(datasetFolder()).filePath(relative),
                                           render(batch, events));
                !s) {
                Error e = s.error();
                e.nodeId = m_context.nodeId;
                return e;
            }
            files.append(relative);
        }
    }
    QJsonArray positions;
    for (const auto &p : batch.positions)
        positions.append(
            QJsonObject{{QStringLiteral("source"), QString::fromStdString(p.sourceNode)},
                        {QStringLiteral("stream"), QString::fromStdString(p.stream)},
                        {QStringLiteral("offset"), static_cast<qint64>(p.offset)},
                        {QStringLiteral("cursor"), QString::fromStdString(p.cursor)}});
    const QJsonObject entry{
        {QStringLiteral("pipeline"), m_context.pipelineName},
        {QStringLiteral("sink"), m_context.nodeId},
        {QStringLiteral("files"), files},
        {QStringLiteral("rows"), static_cast<qint64>(batch.size())},
        {QStringLiteral("positions"), positions},
        {QStringLiteral("time"),
         QString::fromStdString(common::formatIsoTimestamp(common::nowMicros()))}};
    QFile manifest(manifestPath());
    if (!manifest.open(QIODevice::Append) ||
        manifest.write(QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n') < 0 ||
        !manifest.flush())
        return makeError(ErrorCode::Io, QStringLiteral("cannot append to %1").arg(manifestPath()),
                         m_context.nodeId);
    manifest.close();
    if (Status s = syncPath(manifestPath()); !s) {
        Error e = s.error();
        e.nodeId = m_context.nodeId;
        return e;
    }
    m_lastCommitMillis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return engine::SinkWriteStats{static_cast<std::int64_t>(batch.size()), 0, true};
}

} // namespace weir::connectors::file
