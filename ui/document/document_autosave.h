#pragma once

// DocumentAutosave: while a document has unsaved edits, keeps a recovery copy of it in a
// folder (the application's data location) and refreshes it on a timer; the copy goes away
// once the document is saved or its edits are discarded. A copy left behind by a crash is
// offered back at the next start. A lock file per copy tells a crashed session's copy from
// one that another running Weir is keeping. GUI thread.

#include "common/result.h"
#include "model/pipeline.h"

#include <QDateTime>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <vector>

namespace weir::ui {

class PipelineDocument;

class DocumentAutosave final : public QObject
{
    Q_OBJECT

public:
    struct Recovery
    {
        QString copyPath;     // the recovery copy
        QString originalPath; // the file it belongs to; empty for an untitled pipeline
        QDateTime savedAt;
    };

    DocumentAutosave(PipelineDocument *document, QString folder, int intervalMs = 30000,
                     QObject *parent = nullptr);
    ~DocumentAutosave() override;

    // Writes the copy now when the document is modified, removes it when it is not.
    void saveNow();
    QString copyPath() const;

    // Copies left by sessions that ended without saving, newest first.
    static std::vector<Recovery> recoverable(const QString &folder);
    static Result<model::Pipeline> load(const Recovery &recovery);
    static void remove(const Recovery &recovery);

private:
    void rekey();
    void removeCopy();

    PipelineDocument *m_document;
    QString m_folder;
    QString m_key;
    std::unique_ptr<QLockFile> m_lock;
    QTimer m_timer;
};

} // namespace weir::ui
