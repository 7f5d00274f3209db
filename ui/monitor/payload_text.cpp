#include "monitor/payload_text.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <algorithm>

namespace weir::ui {

namespace {

constexpr int kIndent = 2;

// Walks the text outside strings: whitespace is dropped, and with `indent` > 0 structure gets
// line breaks. Strings (with their escapes) are copied as they are.
QString rewrite(const QString &json, int indent)
{
    QString out;
    out.reserve(json.size() * 2);
    qsizetype depth = 0;
    bool inString = false;
    bool escaped = false;
    const auto newline = [&] {
        if (indent > 0)
            out += QLatin1Char('\n') + QString(depth * indent, QLatin1Char(' '));
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json.at(i);
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == QLatin1Char('\\'))
                escaped = true;
            else if (c == QLatin1Char('"'))
                inString = false;
            continue;
        }
        if (c.isSpace())
            continue;
        switch (c.unicode()) {
        case u'"':
            inString = true;
            out += c;
            break;
        case u'{':
        case u'[': {
            qsizetype next = i + 1;
            while (next < json.size() && json.at(next).isSpace())
                ++next;
            if (next < json.size() &&
                (json.at(next) == QLatin1Char('}') || json.at(next) == QLatin1Char(']'))) {
                out += c; // {} and [] stay on one line
                out += json.at(next);
                i = next;
                break;
            }
            out += c;
            ++depth;
            newline();
            break;
        }
        case u'}':
        case u']':
            --depth;
            newline();
            out += c;
            break;
        case u',':
            out += c;
            newline();
            break;
        case u':':
            out += indent > 0 ? QStringLiteral(": ") : QStringLiteral(":");
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Qt's own words for a parse error are terse ("unterminated object" for a missing comma);
// these say what the reader should look for.
QString describe(const QJsonParseError &error)
{
    const auto text = [](const char *s) {
        return QCoreApplication::translate("weir::ui::PayloadText", s);
    };
    switch (error.error) {
    case QJsonParseError::UnterminatedObject:
        return text("expected a comma or the closing }");
    case QJsonParseError::UnterminatedArray:
        return text("expected a comma or the closing ]");
    case QJsonParseError::MissingNameSeparator:
        return text("expected a colon after the key");
    case QJsonParseError::UnterminatedString:
        return text("a string is missing its closing quote");
    case QJsonParseError::IllegalValue:
        return text("not a JSON value (text needs double quotes)");
    case QJsonParseError::IllegalNumber:
        return text("not a valid number");
    case QJsonParseError::GarbageAtEnd:
        return text("more text after the end of the record");
    default:
        return error.errorString();
    }
}

} // namespace

bool looksLikeJson(const QString &payload)
{
    const QString trimmed = payload.trimmed();
    return trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('['));
}

QString prettyPayload(const QString &payload)
{
    if (!looksLikeJson(payload))
        return payload;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return payload;
    return rewrite(payload, kIndent);
}

QString compactJson(const QString &json)
{
    return rewrite(json, 0);
}

QString jsonObjectProblem(const QString &json)
{
    const QByteArray utf8 = json.toUtf8();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt's offset is just past the character it stopped at; point at that character.
        const QByteArray before = utf8.left(std::max(0, error.offset - 1));
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1;
        return QCoreApplication::translate("weir::ui::PayloadText", "line %1, column %2: %3")
            .arg(line)
            .arg(column)
            .arg(describe(error));
    }
    if (!doc.isObject())
        return QCoreApplication::translate("weir::ui::PayloadText",
                                           "a record must be one JSON object, { … }");
    return {};
}

} // namespace weir::ui
