#pragma once

// How the values of a mapping field (FieldKind::Mapping: column -> text, number, list or
// object) read in a table cell, and how text typed into a cell becomes JSON again without
// changing its type: a number stays a number, a list stays a list. Pure functions.

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <optional>

namespace weir::ui {

enum class ValueShape
{
    Text,       // "decimal", "CAST(x AS INTEGER)"
    Number,     // 42
    Bool,       // true
    TextList,   // paid, shipped       <-> ["paid", "shipped"]
    NumberList, // 1, 2, 3             <-> [1, 2, 3]
    Object,     // {"min": 0}
    Any,        // a new row with nothing to go by: JSON when it parses, else text
};

ValueShape shapeOf(const QJsonValue &value);
// The shape a new row starts with: that of the other rows, else what the field's help text
// describes ("list of …" -> TextList, "{…}" -> Object), else Text.
ValueShape shapeForNewRow(const QJsonObject &rows, const QString &help);

// One line: strings bare, lists of plain items as "a, b", the rest as compact JSON.
QString cellText(const QJsonValue &value);
// `text` read as a value of `shape`; nullopt with *error when it does not fit. Text starting
// with [ or { is read as JSON (so a list can be typed with commas inside its items).
std::optional<QJsonValue> parseCellText(const QString &text, ValueShape shape, QString *error);

// Compact JSON with a space after ':' and ',' ({"min": 0, "max": 10}).
QString compactJson(const QJsonValue &value);

// The two sides of "old name -> new name." in a mapping field's help: what the keys are and
// what the values are; empty when the help does not say.
QString mappingKeyHint(const QString &help);
QString mappingValueHint(const QString &help);

} // namespace weir::ui
