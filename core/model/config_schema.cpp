#include "model/config_schema.h"

namespace weir::model {

QString fieldKindName(FieldKind kind)
{
    switch (kind) {
    case FieldKind::String:
        return QStringLiteral("string");
    case FieldKind::Int:
        return QStringLiteral("int");
    case FieldKind::Double:
        return QStringLiteral("double");
    case FieldKind::Bool:
        return QStringLiteral("bool");
    case FieldKind::Enum:
        return QStringLiteral("enum");
    case FieldKind::Secret:
        return QStringLiteral("secret");
    case FieldKind::Path:
        return QStringLiteral("path");
    case FieldKind::Sql:
        return QStringLiteral("sql");
    case FieldKind::Columns:
        return QStringLiteral("columns");
    case FieldKind::Mapping:
        return QStringLiteral("mapping");
    }
    return QStringLiteral("unknown");
}

ConfigField ConfigField::of(QString key, FieldKind kind, QString label, QString help)
{
    ConfigField f;
    f.key = std::move(key);
    f.kind = kind;
    f.label = std::move(label);
    f.help = std::move(help);
    return f;
}

ConfigField ConfigField::withDefault(QJsonValue value) const
{
    ConfigField f = *this;
    f.defaultValue = std::move(value);
    return f;
}

ConfigField ConfigField::withRange(std::optional<double> min, std::optional<double> max) const
{
    ConfigField f = *this;
    f.minimum = min;
    f.maximum = max;
    return f;
}

ConfigField ConfigField::withOptions(QStringList values) const
{
    ConfigField f = *this;
    f.options = std::move(values);
    return f;
}

ConfigField ConfigField::asRequired() const
{
    ConfigField f = *this;
    f.required = true;
    return f;
}

const ConfigField *ConfigSchema::field(const QString &key) const
{
    for (const ConfigField &f : m_fields) {
        if (f.key == key)
            return &f;
    }
    return nullptr;
}

QJsonObject ConfigSchema::withDefaults(const QJsonObject &config) const
{
    QJsonObject out = config;
    for (const ConfigField &f : m_fields) {
        if (!out.contains(f.key) && !f.defaultValue.isUndefined())
            out.insert(f.key, f.defaultValue);
    }
    return out;
}

QJsonArray ConfigSchema::toJson() const
{
    QJsonArray out;
    for (const ConfigField &f : m_fields) {
        QJsonObject o{{QStringLiteral("key"), f.key},
                      {QStringLiteral("kind"), fieldKindName(f.kind)},
                      {QStringLiteral("label"), f.label},
                      {QStringLiteral("help"), f.help},
                      {QStringLiteral("required"), f.required}};
        if (!f.defaultValue.isUndefined())
            o.insert(QStringLiteral("default"), f.defaultValue);
        if (f.minimum)
            o.insert(QStringLiteral("min"), *f.minimum);
        if (f.maximum)
            o.insert(QStringLiteral("max"), *f.maximum);
        if (!f.options.isEmpty())
            o.insert(QStringLiteral("options"), QJsonArray::fromStringList(f.options));
        out.append(o);
    }
    return out;
}

} // namespace weir::model
