#include "model/node_config.h"

#include <QDir>

namespace weir::model {

bool NodeConfig::has(const QString &key) const
{
    const QJsonValue v = m_values.value(key);
    return !v.isUndefined() && !v.isNull() && !(v.isString() && v.toString().isEmpty());
}

QString NodeConfig::string(const QString &key) const
{
    return m_values.value(key).toString();
}

qint64 NodeConfig::integer(const QString &key) const
{
    return m_values.value(key).toInteger();
}

double NodeConfig::real(const QString &key) const
{
    return m_values.value(key).toDouble();
}

bool NodeConfig::boolean(const QString &key) const
{
    return m_values.value(key).toBool();
}

QStringList NodeConfig::stringList(const QString &key) const
{
    QStringList out;
    const QJsonValue v = m_values.value(key);
    if (v.isString()) {
        for (const QString &part : v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
            out << part.trimmed();
        return out;
    }
    for (const QJsonValue item : v.toArray())
        out << item.toString();
    return out;
}

QJsonObject NodeConfig::object(const QString &key) const
{
    return m_values.value(key).toObject();
}

QString NodeConfig::path(const QString &key) const
{
    QString raw = string(key);
    if (raw.isEmpty() || QDir::isAbsolutePath(raw) || m_pipelineDir.isEmpty())
        return raw;
    return QDir::cleanPath(QDir(m_pipelineDir).filePath(raw));
}

} // namespace weir::model
