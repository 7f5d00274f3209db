#include "transforms/validate_transform.h"

#include "record/record_json.h"
#include "record/value_cast.h"

#include <QJsonArray>
#include <map>

namespace weir::transforms {

using model::ConfigField;
using model::FieldKind;
using record::Value;
using record::ValueKind;

namespace {

// Appends the parts (operator+ chains on std::string trip a GCC 12 -Wrestrict false alarm).
std::string concat(std::initializer_list<std::string_view> parts)
{
    std::string out;
    for (const std::string_view part : parts)
        out.append(part);
    return out;
}

std::string scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toStdString();
    if (v.isBool())
        return v.toBool() ? "true" : "false";
    const double d = v.toDouble();
    if (d == static_cast<double>(static_cast<qint64>(d)))
        return std::to_string(static_cast<qint64>(d));
    return QString::number(d, 'g', 17).toStdString();
}

} // namespace

std::unique_ptr<ValidateTransform> ValidateTransform::fromConfig(const model::NodeConfig &config)
{
    std::map<std::string, Rule> byColumn;
    auto rule = [&](const QString &column) -> Rule & {
        Rule &r = byColumn[column.toStdString()];
        r.column = column.toStdString();
        return r;
    };
    for (const QString &c : config.stringList(QStringLiteral("required")))
        rule(c).required = true;
    const QJsonObject types = config.object(QStringLiteral("types"));
    for (auto it = types.begin(); it != types.end(); ++it)
        rule(it.key()).type = record::parseValueKind(it.value().toString().toStdString());
    const QJsonObject ranges = config.object(QStringLiteral("ranges"));
    for (auto it = ranges.begin(); it != ranges.end(); ++it) {
        const QJsonObject range = it.value().toObject();
        Rule &r = rule(it.key());
        if (range.contains(QStringLiteral("min")))
            r.minimum = range.value(QStringLiteral("min")).toDouble();
        if (range.contains(QStringLiteral("max")))
            r.maximum = range.value(QStringLiteral("max")).toDouble();
    }
    const QJsonObject patterns = config.object(QStringLiteral("patterns"));
    for (auto it = patterns.begin(); it != patterns.end(); ++it) {
        Rule &r = rule(it.key());
        r.pattern = QRegularExpression(QStringLiteral("\\A(?:%1)\\z").arg(it.value().toString()));
        r.patternText = it.value().toString().toStdString();
    }
    const QJsonObject allowed = config.object(QStringLiteral("allowed"));
    for (auto it = allowed.begin(); it != allowed.end(); ++it) {
        Rule &r = rule(it.key());
        for (const QJsonValue v : it.value().toArray())
            r.allowed.insert(scalarText(v));
    }
    std::vector<Rule> rules;
    rules.reserve(byColumn.size());
    for (auto &[column, r] : byColumn)
        rules.push_back(std::move(r));
    return std::make_unique<ValidateTransform>(std::move(rules));
}

std::vector<model::FieldProblem> ValidateTransform::checkConfig(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    const QJsonObject types = config.value(QStringLiteral("types")).toObject();
    for (auto it = types.begin(); it != types.end(); ++it) {
        if (!record::parseValueKind(it.value().toString().toStdString()))
            problems.push_back(
                {QStringLiteral("types"),
                 QStringLiteral("column '%1': unknown type '%2' (int, double, decimal, "
                                "bool, string, timestamp)")
                     .arg(it.key(), it.value().toString())});
    }
    const QJsonObject ranges = config.value(QStringLiteral("ranges")).toObject();
    for (auto it = ranges.begin(); it != ranges.end(); ++it) {
        const QJsonObject range = it.value().toObject();
        bool ok = it.value().isObject() && !range.isEmpty();
        for (auto r = range.begin(); r != range.end(); ++r)
            ok = ok && (r.key() == QLatin1String("min") || r.key() == QLatin1String("max")) &&
                 r.value().isDouble();
        if (!ok)
            problems.push_back(
                {QStringLiteral("ranges"),
                 QStringLiteral("column '%1': a range is {\"min\": number, \"max\": number}")
                     .arg(it.key())});
    }
    const QJsonObject patterns = config.value(QStringLiteral("patterns")).toObject();
    for (auto it = patterns.begin(); it != patterns.end(); ++it) {
        const QRegularExpression re(it.value().toString());
        if (!it.value().isString() || !re.isValid())
            problems.push_back({QStringLiteral("patterns"),
                                QStringLiteral("column '%1': invalid regular expression: %2")
                                    .arg(it.key(), re.errorString())});
    }
    const QJsonObject allowed = config.value(QStringLiteral("allowed")).toObject();
    for (auto it = allowed.begin(); it != allowed.end(); ++it) {
        if (!it.value().isArray() || it.value().toArray().isEmpty())
            problems.push_back(
                {QStringLiteral("allowed"),
                 QStringLiteral("column '%1': expected a non-empty list of values").arg(it.key())});
    }
    return problems;
}

void ValidateTransform::apply(const Rule &rule, const Value *value, Conversion &converted,
                              std::string &problems) const
{
    auto complain = [&](const std::string &what) {
        problems.append(problems.empty() ? "" : "; ").append(rule.column).append(": ").append(what);
    };
    if (!value || value->isNull()) {
        if (rule.required)
            complain(value ? "required value is missing" : "required column is missing");
        return;
    }
    if (rule.type == ValueKind::Decimal && value->kind() == ValueKind::String &&
        record::isDecimalText(value->text())) {
        converted.toDecimalInPlace = true; // the text stays as it is; numericValue reads it alike
    } else if (rule.type) {
        std::string why;
        auto convertedValue = record::castValue(*value, *rule.type, &why);
        if (!convertedValue) {
            complain(why);
            return;
        }
        converted.value = std::move(*convertedValue);
        value = &*converted.value;
    }
    if (!rule.minimum && !rule.maximum && !rule.pattern && rule.allowed.empty())
        return;
    const std::string text = value->toText();
    if (rule.minimum || rule.maximum) {
        const auto n = record::numericValue(*value);
        if (!n)
            complain(concat({"'", text, "' is not a number"}));
        else if (rule.minimum && *n < *rule.minimum)
            complain(concat(
                {text, " is below the minimum ", QString::number(*rule.minimum).toStdString()}));
        else if (rule.maximum && *n > *rule.maximum)
            complain(concat(
                {text, " is above the maximum ", QString::number(*rule.maximum).toStdString()}));
    }
    if (rule.pattern && !rule.pattern->match(QString::fromStdString(text)).hasMatch())
        complain(concat({"'", text, "' does not match ", rule.patternText}));
    if (!rule.allowed.empty() && !rule.allowed.count(text))
        complain(concat({"'", text, "' is not an allowed value"}));
}

Status ValidateTransform::process(record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    if (batch.empty())
        return {};
    std::vector<int> indexes;
    for (const Rule &r : m_rules)
        indexes.push_back(batch.schema->indexOf(r.column));
    std::vector<Conversion> converted(m_rules.size());
    std::size_t kept = 0;
    std::string problems;
    for (std::size_t e = 0; e < batch.events.size(); ++e) {
        record::ChangeEvent &event = batch.events[e];
        std::vector<Value> &values = event.op == record::Op::Delete ? event.before : event.after;
        problems.clear();
        for (std::size_t r = 0; r < m_rules.size(); ++r) {
            const auto i = static_cast<std::size_t>(indexes[r]);
            converted[r] = {};
            apply(m_rules[r], indexes[r] >= 0 && i < values.size() ? &values[i] : nullptr,
                  converted[r], problems);
        }
        if (!problems.empty()) {
            // The record goes to the DLQ as it arrived: nothing was converted yet.
            dead.push_back(engine::DeadLetter::of(
                batch, event, QString::fromStdString(problems),
                QString::fromStdString(record::eventToJson(*batch.schema, event))));
            continue;
        }
        for (std::size_t r = 0; r < m_rules.size(); ++r) {
            if (converted[r].value)
                values[static_cast<std::size_t>(indexes[r])] = std::move(*converted[r].value);
            else if (converted[r].toDecimalInPlace)
                values[static_cast<std::size_t>(indexes[r])].setTextKind(ValueKind::Decimal);
        }
        if (kept != e)
            batch.events[kept] = std::move(event);
        ++kept;
    }
    batch.events.resize(kept);
    return {};
}

void registerValidateTransform(model::NodeTypeRegistry &registry)
{
    model::NodeType t;
    t.id = QStringLiteral("validate");
    t.displayName = QStringLiteral("Validate");
    t.category = model::NodeCategory::Transform;
    t.description = QStringLiteral(
        "Checks each record against rules and converts typed fields. Records that break a rule "
        "go to the dead-letter queue with every reason; the others flow on.");
    t.inputs = model::recordsIn();
    t.outputs = model::recordsOut();
    t.schema = {
        ConfigField::of(QStringLiteral("required"), FieldKind::Columns, QStringLiteral("Required"),
                        QStringLiteral("Columns that must be present and non-empty.")),
        ConfigField::of(
            QStringLiteral("types"), FieldKind::Mapping, QStringLiteral("Types"),
            QStringLiteral("column -> int, double, decimal, bool, string or timestamp "
                           "(ISO-8601). Values are converted; ones that do not fit fail.")),
        ConfigField::of(
            QStringLiteral("ranges"), FieldKind::Mapping, QStringLiteral("Ranges"),
            QStringLiteral("column -> {\"min\": n, \"max\": n} (either may be left out).")),
        ConfigField::of(QStringLiteral("patterns"), FieldKind::Mapping, QStringLiteral("Patterns"),
                        QStringLiteral("column -> regular expression the whole value must match.")),
        ConfigField::of(QStringLiteral("allowed"), FieldKind::Mapping,
                        QStringLiteral("Allowed values"),
                        QStringLiteral("column -> list of the values it may take.")),
    };
    t.checkConfig = &ValidateTransform::checkConfig;
    t.makeTransform =
        [](const model::NodeConfig &config) -> std::unique_ptr<engine::TransformNode> {
        return ValidateTransform::fromConfig(config);
    };
    registry.registerType(std::move(t));
}

} // namespace weir::transforms
