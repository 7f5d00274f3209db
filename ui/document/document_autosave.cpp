#include "document/document_autosave.h"

#include "document/pipeline_document.h"
#include "model/pipeline_json.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>
#include <algorithm>

namespace weir::ui {

namespace {

const QString kCopySuffix = QStringLiteral(".weir.json");
const QString kInfoSuffix = QStringLiteral(".info.json");
const QString kLockSuffix = QStringLiteral(".lock");

QString keyFor(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("untitled-") + QUuid::createUuid().toString(QUuid::Id128);
    return QString::fromLatin1(
        QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
}

bool writeAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size() && file.commit();
}

} // namespace

DocumentAutosave::DocumentAutosave(PipelineDocument *document, QString folder, int intervalMs,
                                   QObject *parent)
    : QObject(parent), m_document(document), m_folder(std::move(folder))
{
    QDir().mkpath(m_folder);
    rekey();
    connect(document, &PipelineDocument::filePathChanged, this, [this] {
        removeCopy();
        rekey();
    });
    connect(document, &PipelineDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified)
            removeCopy();
    });
    connect(&m_timer, &QTimer::timeout, this, &DocumentAutosave::saveNow);
    m_timer.start(intervalMs);
}

DocumentAutosave::~DocumentAutosave()
{
    // A clean exit leaves nothing to recover; the owner asked about unsaved edits before.
    removeCopy();
}

QString DocumentAutosave::copyPath() const
{
    return QDir(m_folder).filePath(m_key + kCopySuffix);
}

void DocumentAutosave::rekey()
{
    m_key = keyFor(m_document->filePath());
    m_lock = std::make_unique<QLockFile>(QDir(m_folder).filePath(m_key + kLockSuffix));
    m_lock->setStaleLockTime(0);
    m_lock->tryLock(0);
}

void DocumentAutosave::saveNow()
{
    if (!m_document->isModified()) {
        removeCopy();
        return;
    }
    const QJsonObject info{
        {QStringLiteral("original"), m_document->filePath()},
        {QStringLiteral("saved"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    const QDir dir(m_folder);
    writeAtomically(dir.filePath(m_key + kCopySuffix), m_document->toJson());
    writeAtomically(dir.filePath(m_key + kInfoSuffix), QJsonDocument(info).toJson());
}

void DocumentAutosave::removeCopy()
{
    const QDir dir(m_folder);
    QFile::remove(dir.filePath(m_key + kCopySuffix));
    QFile::remove(dir.filePath(m_key + kInfoSuffix));
}

std::vector<DocumentAutosave::Recovery> DocumentAutosave::recoverable(const QString &folder)
{
    std::vector<Recovery> found;
    const QDir dir(folder);
    const QStringList copies =
        dir.entryList({QStringLiteral("*") + kCopySuffix}, QDir::Files, QDir::Name);
    for (const QString &name : copies) {
        const QString key = name.chopped(kCopySuffix.size());
        QLockFile lock(dir.filePath(key + kLockSuffix));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue; // another running Weir keeps this one
        lock.unlock();
        QFile infoFile(dir.filePath(key + kInfoSuffix));
        if (!infoFile.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject info = QJsonDocument::fromJson(infoFile.readAll()).object();
        found.push_back({dir.filePath(name), info.value(QStringLiteral("original")).toString(),
                         QDateTime::fromString(info.value(QStringLiteral("saved")).toString(),
                                               Qt::ISODateWithMs)});
    }
    std::sort(found.begin(), found.end(),
              [](const Recovery &a, const Recovery &b) { return a.savedAt > b.savedAt; });
    return found;
}

Result<model::Pipeline> DocumentAutosave::load(const Recovery &recovery)
{
    model::PipelineParse parsed = model::loadPipelineFile(recovery.copyPath);
    if (!parsed.pipeline)
        return makeError(ErrorCode::Invalid, parsed.problems.empty()
                                                 ? recovery.copyPath
                                                 : parsed.problems.front().toString());
    return std::move(*parsed.pipeline);
}

void DocumentAutosave::remove(const Recovery &recovery)
{
    const QString key = recovery.copyPath.chopped(kCopySuffix.size());
    QFile::remove(recovery.copyPath);
    QFile::remove(key + kInfoSuffix);
    QFile::remove(key + kLockSuffix);
}

} // namespace weir::ui
