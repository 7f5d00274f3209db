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
    bool keepsEventOffsets() const override { return true; }
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
    // What a rule does to its value once the whole record has passed: nothing, put `value`
    // in its place, or (a string that is already an exact decimal) only change its kind, so
    // the text is not copied.
    struct Conversion
    {
        std::optional<record::Value> value = {};
        bool toDecimalInPlace = false;
    };

    // Checks one value (null when its column is absent) and says how it converts to the
    // rule's type. What is wrong is appended to `problems`.
    void apply(const Rule &rule, const record::Value *value, Conversion &converted,
               std::string &problems) const;

    std::vector<Rule> m_rules;
};

void registerValidateTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
