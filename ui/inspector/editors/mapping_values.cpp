#include "inspector/editors/mapping_values.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>

namespace weir::ui {

namespace {

const QLatin1String kArrow("->");

QString tr(const char *text)
{
    return QCoreApplication::translate("weir::ui::MappingFieldEditor", text);
}

std::optional<double> parseNumber(const QString &text)
{
    for (const QLocale &locale : {QLocale::c(), QLocale()}) {
        bool ok = false;
        const double v = locale.toDouble(text, &ok);
        if (ok && std::isfinite(v))
            return v;
    }
    return std::nullopt;
}

// A list item that reads back the same from "a, b": no comma, no brackets, no padding.
bool isPlainItem(const QJsonValue &item)
{
    if (item.isDouble() || item.isBool())
        return true;
    if (!item.isString())
        return false;
    const QString s = item.toString();
    return !s.isEmpty() && !s.contains(QLatin1Char(',')) && s.trimmed() == s &&
           !s.startsWith(QLatin1Char('[')) && !s.startsWith(QLatin1Char('{'));
}

std::optional<QJsonValue> parseJson(const QString &text, QString *error)
{
    QJsonParseError parseError{};
    // Wrapped in an array so that any JSON value parses, not only arrays and objects.
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"), &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        if (error)
            *error = tr("not valid JSON (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    return doc.array().first();
}

QJsonArray splitList(const QString &text, bool numbers, QString *error, bool *ok)
{
    QJsonArray out;
    *ok = true;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString item = part.trimmed();
        if (item.isEmpty())
            continue;
        if (!numbers) {
            out.append(item);
        } else if (const auto n = parseNumber(item)) {
            out.append(*n);
        } else {
            *ok = false;
            if (error)
                *error = tr("'%1' is not a number (write [\"…\"] for a list of text)").arg(item);
            return {};
        }
    }
    return out;
}

} // namespace

ValueShape shapeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return ValueShape::Text;
    case QJsonValue::Double:
        return ValueShape::Number;
    case QJsonValue::Bool:
        return ValueShape::Bool;
    case QJsonValue::Object:
        return ValueShape::Object;
    case QJsonValue::Array: {
        const QJsonArray items = value.toArray();
        const bool numbers =
            !items.isEmpty() && std::all_of(items.begin(), items.end(),
                                            [](const QJsonValue &v) { return v.isDouble(); });
        return numbers ? ValueShape::NumberList : ValueShape::TextList;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return ValueShape::Any;
}

ValueShape shapeForNewRow(const QJsonObject &rows, const QString &help)
{
    if (!rows.isEmpty())
        return shapeOf(*rows.begin());
    const QString hint = mappingValueHint(help);
    if (hint.startsWith(QLatin1String("list"), Qt::CaseInsensitive))
        return ValueShape::TextList;
    if (hint.startsWith(QLatin1Char('{')))
        return ValueShape::Object;
    return help.contains(kArrow) ? ValueShape::Text : ValueShape::Any;
}

QString compactJson(const QJsonValue &value)
{
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue item : value.toArray())
            items.append(compactJson(item));
        return QLatin1Char('[') + items.join(QLatin1String(", ")) + QLatin1Char(']');
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        QStringList items;
        for (auto it = o.begin(); it != o.end(); ++it)
            items.append(compactJson(it.key()) + QLatin1String(": ") + compactJson(it.value()));
        return QLatin1Char('{') + items.join(QLatin1String(", ")) + QLatin1Char('}');
    }
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString cellText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isArray()) {
        const QJsonArray items = value.toArray();
        if (!items.isEmpty() && std::all_of(items.begin(), items.end(), isPlainItem)) {
            QStringList parts;
            for (const QJsonValue item : items)
                parts.append(item.isString() ? item.toString() : compactJson(item));
            return parts.join(QLatin1String(", "));
        }
    }
    return compactJson(value);
}

std::optional<QJsonValue> parseCellText(const QString &input, ValueShape shape, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty()) {
        if (error)
            *error = tr("enter a value");
        return std::nullopt;
    }
    if (shape == ValueShape::Text)
        return QJsonValue(text);
    if (text.startsWith(QLatin1Char('[')) || text.startsWith(QLatin1Char('{'))) {
        auto json = parseJson(text, error);
        if (!json)
            return std::nullopt;
        const bool list = shape == ValueShape::TextList || shape == ValueShape::NumberList;
        if ((shape == ValueShape::Object && !json->isObject()) || (list && !json->isArray())) {
            if (error)
                *error = shape == ValueShape::Object ? tr("expected an object {…}")
                                                     : tr("expected a list");
            return std::nullopt;
        }
        return json;
    }
    switch (shape) {
    case ValueShape::Number:
        if (const auto n = parseNumber(text))
            return QJsonValue(*n);
        if (error)
            *error = tr("expected a number");
        return std::nullopt;
    case ValueShape::Bool:
        if (text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return QJsonValue(true);
        if (text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return QJsonValue(false);
        if (error)
            *error = tr("expected true or false");
        return std::nullopt;
    case ValueShape::TextList:
    case ValueShape::NumberList: {
        bool ok = false;
        QJsonArray items = splitList(text, shape == ValueShape::NumberList, error, &ok);
        if (!ok)
            return std::nullopt;
        return QJsonValue(items);
    }
    case ValueShape::Object:
        if (error)
            *error = tr("expected an object {…}");
        return std::nullopt;
    case ValueShape::Any:
        if (auto json = parseJson(text, nullptr))
            return json;
        return QJsonValue(text);
    case ValueShape::Text:
        break;
    }
    return QJsonValue(text);
}

QString mappingKeyHint(const QString &help)
{
    const qsizetype arrow = help.indexOf(kArrow);
    return arrow < 0 ? QString() : help.left(arrow).trimmed();
}

QString mappingValueHint(const QString &help)
{
    const qsizetype arrow = help.indexOf(kArrow);
    if (arrow < 0)
        return {};
    QString hint = help.mid(arrow + kArrow.size()).trimmed();
    for (const QLatin1String stop : {QLatin1String(", e.g."), QLatin1String(". ")}) {
        if (const qsizetype at = hint.indexOf(stop); at >= 0)
            hint.truncate(at);
    }
    if (hint.endsWith(QLatin1Char('.')))
        hint.chop(1);
    return hint.trimmed();
}

} // namespace weir::ui
