#pragma once

// NodeConfig: a node's configuration as a runtime reads it: defaults from the schema applied,
// ${env:…} references resolved. Built once per run on the engine's thread, read-only after.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace weir::model {

class NodeConfig final
{
public:
    NodeConfig() = default;
    NodeConfig(QString nodeId, QString pipelineDir, QJsonObject values)
        : m_nodeId(std::move(nodeId)), m_pipelineDir(std::move(pipelineDir)),
          m_values(std::move(values))
    {
    }

    const QString &nodeId() const { return m_nodeId; }
    const QJsonObject &values() const { return m_values; }
    bool has(const QString &key) const;

    QString string(const QString &key) const;
    qint64 integer(const QString &key) const;
    double real(const QString &key) const;
    bool boolean(const QString &key) const;
    QStringList stringList(const QString &key) const;
    QJsonObject object(const QString &key) const;
    // A path relative to the pipeline file's folder becomes absolute.
    QString path(const QString &key) const;

private:
    QString m_nodeId;
    QString m_pipelineDir;
    QJsonObject m_values;
};

} // namespace weir::model
