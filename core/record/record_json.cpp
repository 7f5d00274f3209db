#include "record/record_json.h"

#include <cstdio>

namespace weir::record {

void appendJsonString(std::string &out, std::string_view text)
{
    out.push_back('"');
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

std::string eventToJson(const Schema &schema, const ChangeEvent &event)
{
    const std::vector<Value> &values = event.current();
    std::string out = "{";
    for (std::size_t i = 0; i < schema.size(); ++i) {
        if (i)
            out.push_back(',');
        appendJsonString(out, schema.columns()[i]);
        out.push_back(':');
        const Value &v = i < values.size() ? values[i] : Value();
        switch (v.kind()) {
        case ValueKind::Null:
            out += "null";
            break;
        case ValueKind::Bool:
        case ValueKind::Int:
        case ValueKind::Double:
        case ValueKind::Decimal:
            out += v.toText();
            break;
        default:
            appendJsonString(out, v.toText());
        }
    }
    out.push_back('}');
    return out;
}

} // namespace weir::record
