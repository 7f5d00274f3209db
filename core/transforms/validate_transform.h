#pragma once

// ValidateTransform: checks each record against rules — required fields, types (values are
// converted to the type), numeric ranges, regular expressions, allowed values. A record that
// breaks any rule goes to the dead-letter queue with every reason; the rest flow on.
// One instance per run, used from one worker thread.

#include "engine/node.h"
#include "model/node_config.h"
#include "model/node_type_registry.h"

#include <QRegularExpression>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace weir::transforms {

class ValidateTransform final : public engine::TransformNode
{
public:
    struct Rule
    {
        std::string column;
        bool required = false;
        std::optional<record::ValueKind> type;
        std::optional<double> minimum;
        std::optional<double> maximum;
        std::optional<QRegularExpression> pattern; // anchored: the whole value must match
        std::string patternText;                   // as the user wrote it, for messages
        std::set<std::string> allowed;             // empty: any value
    };

    explicit ValidateTransform(std::vector<Rule> rules) : m_rules(std::move(rules)) {}
    static std::unique_ptr<ValidateTransform> fromConfig(const model::NodeConfig &config);
    static std::vector<model::FieldProblem> checkConfig(const QJsonObject &config);

    Status process(record::Batch &batch, std::vector<engine::DeadLetter> &dead) override;

private:
    // Checks one value (null when its column is absent); a value converted to the rule's type
    // lands in `converted`. What is wrong is appended to `problems`.
    void apply(const Rule &rule, const record::Value *value,
               std::optional<record::Value> &converted, std::string &problems) const;

    std::vector<Rule> m_rules;
};

void registerValidateTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
