#pragma once

// Payload text for the dead-letter browser: JSON records indented for reading (keys keep
// their order and numbers their spelling, unlike a QJsonDocument round trip), compacted again
// for a retry, and checked with a message that names the line and column. Pure functions.

#include <QString>

namespace weir::ui {

// An indented copy of a JSON object or array; any other text comes back unchanged.
QString prettyPayload(const QString &payload);
// The text without whitespace outside strings (one line, as the queue stores records).
QString compactJson(const QString &json);
bool looksLikeJson(const QString &payload);
// Empty when `json` is one JSON object; else what is wrong and where ("line 3, column 14: …").
QString jsonObjectProblem(const QString &json);

} // namespace weir::ui
