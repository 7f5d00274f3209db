#pragma once

// ConfigSchema: the fields a node type accepts, declared once as data. It drives validation in
// core, the inspector form in the GUI and the generated reference of `weir-run list-node-types`.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace weir::model {

enum class FieldKind
{
    String, // free text
    Int,    // whole number, optional min/max
    Double, // real number, optional min/max
    Bool,
    Enum,    // one of `options`
    Secret,  // never stored in clear: must be ${env:NAME} or ${keychain:NAME}
    Path,    // file or folder; relative paths are relative to the pipeline file
    Sql,     // an SQL text
    Columns, // list of column names (JSON array of strings)
    Mapping, // JSON object: column -> value (string, number or list, per field help)
};

QString fieldKindName(FieldKind kind);

struct ConfigField
{
    QString key;
    FieldKind kind = FieldKind::String;
    QString label;
    QString help;
    QJsonValue defaultValue; // Undefined when there is none
    std::optional<double> minimum;
    std::optional<double> maximum;
    QStringList options; // for Enum
    bool required = false;

    // ConfigField::of("path", FieldKind::Path, "File", "help").asRequired()
    static ConfigField of(QString key, FieldKind kind, QString label, QString help);
    ConfigField withDefault(QJsonValue value) const;
    ConfigField withRange(std::optional<double> min, std::optional<double> max) const;
    ConfigField withOptions(QStringList values) const;
    ConfigField asRequired() const;
};

class ConfigSchema final
{
public:
    ConfigSchema() = default;
    ConfigSchema(std::initializer_list<ConfigField> fields) : m_fields(fields) {}
    explicit ConfigSchema(std::vector<ConfigField> fields) : m_fields(std::move(fields)) {}

    const std::vector<ConfigField> &fields() const { return m_fields; }
    const ConfigField *field(const QString &key) const;
    // The config with every absent field that has a default filled in.
    QJsonObject withDefaults(const QJsonObject &config) const;
    QJsonArray toJson() const;

private:
    std::vector<ConfigField> m_fields;
};

} // namespace weir::model
