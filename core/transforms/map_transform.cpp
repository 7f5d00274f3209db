#include "transforms/map_transform.h"

#include "record/record_json.h"
#include "record/value_cast.h"

#include <algorithm>

namespace weir::transforms {

using model::ConfigField;
using model::FieldKind;

MapOptions MapOptions::fromConfig(const model::NodeConfig &config)
{
    MapOptions o;
    const QJsonObject rename = config.object(QStringLiteral("rename"));
    for (auto it = rename.begin(); it != rename.end(); ++it)
        o.rename[it.key().toStdString()] = it.value().toString().toStdString();
    const QJsonObject cast = config.object(QStringLiteral("cast"));
    for (auto it = cast.begin(); it != cast.end(); ++it) {
        if (const auto kind = record::parseValueKind(it.value().toString().toStdString()))
            o.cast.emplace_back(it.key().toStdString(), *kind);
    }
    const QJsonObject derive = config.object(QStringLiteral("derive"));
    for (auto it = derive.begin(); it != derive.end(); ++it)
        o.derive.emplace_back(it.key().toStdString(), it.value().toString().toStdString());
    for (const QString &c : config.stringList(QStringLiteral("drop")))
        o.drop.push_back(c.toStdString());
    return o;
}

MapTransform::MapTransform(MapOptions options) : m_options(std::move(options))
{
    if (m_options.derive.empty())
        return;
    std::string sql = "SELECT _weir_row";
    for (const auto &[column, expression] : m_options.derive)
        sql += ", (" + expression + "\n)";
    m_derive = std::make_unique<BatchQuery>(sql + " FROM batch");
}

std::vector<model::FieldProblem> MapTransform::checkConfig(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    const QJsonObject cast = config.value(QStringLiteral("cast")).toObject();
    for (auto it = cast.begin(); it != cast.end(); ++it) {
        if (!record::parseValueKind(it.value().toString().toStdString()))
            problems.push_back(
                {QStringLiteral("cast"),
                 QStringLiteral("column '%1': unknown type '%2' (int, double, decimal, "
                                "bool, string, timestamp)")
                     .arg(it.key(), it.value().toString())});
    }
    for (const QString &key : {QStringLiteral("rename"), QStringLiteral("derive")}) {
        const QJsonObject o = config.value(key).toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!it.value().isString() || it.value().toString().trimmed().isEmpty())
                problems.push_back(
                    {key, QStringLiteral("column '%1': expected text").arg(it.key())});
        }
    }
    return problems;
}

Result<MapTransform::Plan> MapTransform::planFor(const record::Schema &input) const
{
    Plan plan;
    std::vector<std::string> names = input.columns();
    for (std::string &name : names) {
        if (const auto it = m_options.rename.find(name); it != m_options.rename.end())
            name = it->second;
    }
    const record::Schema renamed(names);
    for (const auto &[column, kind] : m_options.cast) {
        const int i = renamed.indexOf(column);
        if (i < 0)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("cast: column '%1' is not in the records")
                                 .arg(QString::fromStdString(column)));
        plan.casts.emplace_back(i, kind);
    }
    for (const auto &[column, expression] : m_options.derive) {
        const auto at = std::find(names.begin(), names.end(), column);
        plan.derivedAt.push_back(static_cast<int>(at - names.begin()));
        if (at == names.end())
            names.push_back(column);
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (std::find(m_options.drop.begin(), m_options.drop.end(), names[i]) ==
            m_options.drop.end())
            plan.kept.push_back(static_cast<int>(i));
    }
    std::vector<std::string> output;
    for (int i : plan.kept)
        output.push_back(names[static_cast<std::size_t>(i)]);
    plan.renamed = record::makeSchema(std::move(names));
    plan.output = record::makeSchema(std::move(output));
    return plan;
}

Status MapTransform::process(record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    if (batch.empty())
        return {};
    if (batch.schema != m_plannedFor) {
        auto plan = planFor(*batch.schema);
        if (!plan)
            return plan.error();
        m_plan = std::move(plan.value());
        m_plannedFor = batch.schema;
    }
    // Cast; a value that does not fit takes its record to the DLQ as it arrived.
    std::size_t kept = 0;
    for (std::size_t e = 0; e < batch.size(); ++e) {
        record::ChangeEvent &event = batch.events[e];
        auto &values = event.op == record::Op::Delete ? event.before : event.after;
        std::string problems;
        std::vector<std::pair<int, record::Value>> converted;
        for (const auto &[i, kind] : m_plan.casts) {
            const auto index = static_cast<std::size_t>(i);
            std::string why;
            auto v = record::castValue(index < values.size() ? values[index] : record::Value(),
                                       kind, &why);
            if (v)
                converted.emplace_back(i, std::move(*v));
            else
                problems.append(problems.empty() ? "" : "; ")
                    .append(m_plan.renamed->columns()[index])
                    .append(": ")
                    .append(why);
        }
        if (!problems.empty()) {
            dead.push_back(engine::DeadLetter::of(
                batch, event, QString::fromStdString(problems),
                QString::fromStdString(record::eventToJson(*batch.schema, event))));
            continue;
        }
        for (auto &[i, v] : converted)
            values[static_cast<std::size_t>(i)] = std::move(v);
        values.resize(m_plan.renamed->size());
        if (kept != e)
            batch.events[kept] = std::move(event);
        ++kept;
    }
    batch.events.resize(kept);
    batch.schema = m_plan.renamed;
    if (m_derive && !batch.empty()) {
        // The derive query reads the renamed, cast batch.
        if (Status s = m_derive->run(
                batch,
                [&](const common::SqliteStatement &row) {
                    auto &event = batch.events[static_cast<std::size_t>(row.columnInt(0))];
                    auto &values = event.op == record::Op::Delete ? event.before : event.after;
                    for (std::size_t d = 0; d < m_plan.derivedAt.size(); ++d)
                        values[static_cast<std::size_t>(m_plan.derivedAt[d])] =
                            BatchQuery::valueAt(row, static_cast<int>(d + 1));
                });
            !s)
            return s;
    }
    if (m_plan.kept.size() != m_plan.renamed->size()) {
        for (record::ChangeEvent &event : batch.events) {
            auto &values = event.op == record::Op::Delete ? event.before : event.after;
            std::vector<record::Value> out;
            out.reserve(m_plan.kept.size());
            for (int i : m_plan.kept)
                out.push_back(std::move(values[static_cast<std::size_t>(i)]));
            values = std::move(out);
        }
    }
    batch.schema = m_plan.output;
    // The upstream table's key (Batch::key) follows its columns' new names.
    for (std::string &k : batch.key) {
        const int at = m_plannedFor->indexOf(k);
        if (at >= 0)
            k = m_plan.renamed->columns()[static_cast<std::size_t>(at)];
    }
    return {};
}

void registerMapTransform(model::NodeTypeRegistry &registry)
{
    model::NodeType t;
    t.id = QStringLiteral("map");
    t.displayName = QStringLiteral("Map columns");
    t.category = model::NodeCategory::Transform;
    t.description = QStringLiteral(
        "Renames columns, casts values (records whose values do not fit go to the dead-letter "
        "queue), derives columns from SQLite expressions and drops columns, in that order.");
    t.inputs = model::recordsIn();
    t.outputs = model::recordsOut();
    t.schema = {
        ConfigField::of(QStringLiteral("rename"), FieldKind::Mapping, QStringLiteral("Rename"),
                        QStringLiteral("old name -> new name.")),
        ConfigField::of(QStringLiteral("cast"), FieldKind::Mapping, QStringLiteral("Cast"),
                        QStringLiteral("column -> int, double, decimal, bool, string or timestamp "
                                       "(names after renaming).")),
        ConfigField::of(
            QStringLiteral("derive"), FieldKind::Mapping, QStringLiteral("Derive"),
            QStringLiteral("new column -> SQLite expression over the columns, e.g. "
                           "\"amount_cents\": \"CAST(round(amount * 100) AS INTEGER)\".")),
        ConfigField::of(QStringLiteral("drop"), FieldKind::Columns, QStringLiteral("Drop"),
                        QStringLiteral("Columns to leave out of the output.")),
    };
    t.checkConfig = &MapTransform::checkConfig;
    t.makeTransform =
        [](const model::NodeConfig &config) -> std::unique_ptr<engine::TransformNode> {
        return std::make_unique<MapTransform>(MapOptions::fromConfig(config));
    };
    registry.registerType(std::move(t));
}

} // namespace weir::transforms
