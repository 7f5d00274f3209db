#pragma once

// WatchedFolderSource: reads every file that lands in a folder (CSV or JSON Lines), one after
// the other in name order. A file is taken only once it is complete: its size and time have
// not changed for the settle time, and its name is not a temporary one (".x", "x.tmp",
// "x.part"). A file read to its end is watched still: rows appended to it are read once it has
// settled again, from where the last read stopped. What was taken is remembered through the
// positions the sinks commit, so a restart continues where the last commit left off. One
// worker thread.

#include "connectors/file/csv_source.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <QDateTime>
#include <map>
#include <memory>

namespace weir::connectors::file {

struct WatchedFolderOptions
{
    QString folder;
    QStringList patterns; // name filters, e.g. *.csv
    bool jsonLines = false;
    int settleMs = 2000;
    int pollMs = 500;
    CsvOptions csv; // path is set per file
    std::vector<std::string> jsonColumns;

    static WatchedFolderOptions fromConfig(const model::NodeConfig &config);
};

class WatchedFolderSource final : public engine::SourceNode
{
public:
    explicit WatchedFolderSource(WatchedFolderOptions options) : m_options(std::move(options)) {}

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    // Watches until stopped; with NodeContext::once, Finished when no complete file is left.
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;

    // True for names a writer uses while a file is not finished.
    static bool isTemporaryName(const QString &name);

private:
    struct Observation
    {
        qint64 size = -1;
        QDateTime modified;
        qint64 stableSinceMs = 0;
    };

    // The next complete file not yet read, or empty. `waiting` tells whether some file is
    // still settling (being written).
    QString nextCompleteFile(bool &waiting);
    Status openFile(const QString &path);
    void pause();

    WatchedFolderOptions m_options;
    engine::NodeContext m_context;
    std::map<std::string, std::int64_t> m_committed; // stream -> committed offset at open
    std::map<std::string, std::int64_t> m_readTo;    // stream -> offset read to, this run
    std::map<QString, Observation> m_seen;
    std::unique_ptr<engine::SourceNode> m_current;
    std::string m_currentStream;
};

} // namespace weir::connectors::file
