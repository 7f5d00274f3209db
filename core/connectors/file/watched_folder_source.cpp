#include "connectors/file/watched_folder_source.h"

#include "common/time_format.h"
#include "connectors/file/jsonl_source.h"

#include <QDir>
#include <QFileInfo>
#include <thread>

namespace weir::connectors::file {

WatchedFolderOptions WatchedFolderOptions::fromConfig(const model::NodeConfig &config)
{
    WatchedFolderOptions o;
    o.folder = config.path(QStringLiteral("folder"));
    o.jsonLines = config.string(QStringLiteral("format")) == QLatin1String("jsonl");
    o.patterns = config.stringList(QStringLiteral("pattern"));
    if (o.patterns.isEmpty())
        o.patterns << (o.jsonLines ? QStringLiteral("*.jsonl") : QStringLiteral("*.csv"));
    o.settleMs = static_cast<int>(config.integer(QStringLiteral("settle_ms")));
    o.pollMs = static_cast<int>(config.integer(QStringLiteral("poll_ms")));
    o.csv = CsvOptions::fromConfig(config);
    for (const QString &c : config.stringList(QStringLiteral("columns")))
        o.jsonColumns.push_back(c.toStdString());
    return o;
}

bool WatchedFolderSource::isTemporaryName(const QString &name)
{
    static const QStringList suffixes = {QStringLiteral(".tmp"), QStringLiteral(".part"),
                                         QStringLiteral(".partial"), QStringLiteral(".crdownload"),
                                         QStringLiteral("~")};
    if (name.startsWith(QLatin1Char('.')))
        return true;
    for (const QString &s : suffixes) {
        if (name.endsWith(s, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

Status WatchedFolderSource::open(const engine::NodeContext &context,
                                 const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    if (!QFileInfo(m_options.folder).isDir())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("folder %1 does not exist").arg(m_options.folder),
                         context.nodeId);
    for (const record::SourcePosition &p : resumeFrom)
        m_committed[p.stream] = p.offset;
    return {};
}

QString WatchedFolderSource::nextCompleteFile(bool &waiting)
{
    waiting = false;
    const qint64 now = common::nowMillis();
    const QFileInfoList files =
        QDir(m_options.folder)
            .entryInfoList(m_options.patterns, QDir::Files | QDir::Hidden, QDir::Name);
    for (const QFileInfo &info : files) {
        if (isTemporaryName(info.fileName()))
            continue;
        const std::string stream = info.canonicalFilePath().toStdString();
        // Read to here already (in this run, or committed by an earlier one): only a file that
        // has grown since is taken again, from that point.
        const auto read = m_readTo.find(stream);
        const auto committed = m_committed.find(stream);
        const std::int64_t readTo = read != m_readTo.end()           ? read->second
                                    : committed != m_committed.end() ? committed->second
                                                                     : -1;
        if (readTo >= info.size())
            continue;
        // Complete means unchanged for the settle time: a writer still appending keeps
        // moving its size or time.
        Observation &seen = m_seen[info.canonicalFilePath()];
        if (seen.size != info.size() || seen.modified != info.lastModified()) {
            seen = Observation{info.size(), info.lastModified(), now};
            waiting = true;
            continue;
        }
        if (now - seen.stableSinceMs < m_options.settleMs) {
            waiting = true;
            continue;
        }
        return info.canonicalFilePath();
    }
    return {};
}

Status WatchedFolderSource::openFile(const QString &path)
{
    if (m_options.jsonLines) {
        m_current =
            std::make_unique<JsonlSource>(path, m_options.jsonColumns, m_options.csv.batchSize);
    } else {
        CsvOptions csv = m_options.csv;
        csv.path = path;
        m_current = std::make_unique<CsvSource>(csv);
    }
    m_currentStream = path.toStdString();
    std::vector<record::SourcePosition> resume;
    const auto read = m_readTo.find(m_currentStream);
    const auto committed = m_committed.find(m_currentStream);
    if (read != m_readTo.end())
        resume.emplace_back(m_context.nodeId.toStdString(), m_currentStream, read->second);
    else if (committed != m_committed.end())
        resume.emplace_back(m_context.nodeId.toStdString(), m_currentStream, committed->second);
    return m_current->open(m_context, resume);
}

void WatchedFolderSource::pause()
{
    for (int waited = 0; waited < m_options.pollMs && !m_context.stopping(); waited += 20)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

Result<engine::StepStatus> WatchedFolderSource::next(record::Batch &batch,
                                                     std::vector<engine::DeadLetter> &dead)
{
    for (;;) {
        if (m_current) {
            auto step = m_current->next(batch, dead);
            if (!step)
                return step.error();
            for (const record::SourcePosition &p : batch.positions)
                m_readTo[p.stream] = p.offset;
            if (step.value() == engine::StepStatus::Finished)
                m_current.reset();
            if (!batch.empty() || !dead.empty() || !batch.positions.empty())
                return engine::StepStatus::HaveMore;
            continue;
        }
        bool waiting = false;
        const QString file = nextCompleteFile(waiting);
        if (!file.isEmpty()) {
            if (Status s = openFile(file); !s) {
                Error e = s.error();
                e.nodeId = m_context.nodeId;
                return e;
            }
            continue;
        }
        if (m_context.once && !waiting)
            return engine::StepStatus::Finished;
        // Nothing complete yet: come back after a pause (the engine checks for stop).
        pause();
        return engine::StepStatus::HaveMore;
    }
}

engine::SourceProgress WatchedFolderSource::progress() const
{
    return m_current ? m_current->progress() : engine::SourceProgress{0, -1, 0};
}

} // namespace weir::connectors::file
