#include "connectors/postgres/pg_array.h"

#include "record/record_json.h"

namespace weir::connectors::postgres {
namespace {

// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(std::string_view s)
{
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t from = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > from;
    };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (i < s.size() && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == s.size();
}

class ArrayReader
{
public:
    ArrayReader(std::string_view text, ArrayElements elements) : m_text(text), m_elements(elements)
    {
    }

    std::optional<std::string> read()
    {
        // "[1:2]={…}": dimensions with lower bounds other than 1.
        if (!m_text.empty() && m_text[0] == '[') {
            const std::size_t equals = m_text.find('=');
            if (equals == std::string_view::npos)
                return std::nullopt;
            m_at = equals + 1;
        }
        std::string out;
        if (!array(out) || m_at != m_text.size())
            return std::nullopt;
        return out;
    }

private:
    bool array(std::string &out)
    {
        if (!take('{'))
            return false;
        out += '[';
        if (take('}')) {
            out += ']';
            return true;
        }
        for (bool first = true;; first = false) {
            if (!first)
                out += ',';
            if (peek() == '{') {
                if (!array(out))
                    return false;
            } else if (!element(out)) {
                return false;
            }
            if (take('}'))
                break;
            if (!take(','))
                return false;
        }
        out += ']';
        return true;
    }

    bool element(std::string &out)
    {
        std::string value;
        if (take('"')) {
            for (;;) {
                if (m_at >= m_text.size())
                    return false;
                char c = m_text[m_at++];
                if (c == '"')
                    break;
                if (c == '\\') {
                    if (m_at >= m_text.size())
                        return false;
                    c = m_text[m_at++];
                }
                value += c;
            }
            emit(out, value);
            return true;
        }
        const std::size_t from = m_at;
        while (m_at < m_text.size() && m_text[m_at] != ',' && m_text[m_at] != '}' &&
               m_text[m_at] != '{' && m_text[m_at] != '"')
            ++m_at;
        if (m_at == from)
            return false;
        value = m_text.substr(from, m_at - from);
        if (value == "NULL")
            out += "null";
        else
            emit(out, value);
        return true;
    }

    void emit(std::string &out, const std::string &value) const
    {
        switch (m_elements) {
        case ArrayElements::Number:
            if (isJsonNumber(value)) {
                out += value;
                return;
            }
            break;
        case ArrayElements::Boolean:
            if (value == "t" || value == "f") {
                out += value == "t" ? "true" : "false";
                return;
            }
            break;
        case ArrayElements::Json:
            out += value;
            return;
        case ArrayElements::Text:
            break;
        }
        record::appendJsonString(out, value);
    }

    char peek() const { return m_at < m_text.size() ? m_text[m_at] : '\0'; }

    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_at;
        return true;
    }

    std::string_view m_text;
    ArrayElements m_elements;
    std::size_t m_at = 0;
};

// A JSON array as PostgreSQL array input.
class JsonArrayWriter
{
public:
    explicit JsonArrayWriter(std::string_view json) : m_json(json) {}

    std::optional<std::string> write()
    {
        std::string out;
        space();
        if (peek() != '[' || !array(out))
            return std::nullopt;
        space();
        if (m_at != m_json.size())
            return std::nullopt;
        return out;
    }

private:
    bool array(std::string &out)
    {
        ++m_at; // [
        out += '{';
        space();
        if (take(']')) {
            out += '}';
            return true;
        }
        for (bool first = true;; first = false) {
            if (!first)
                out += ',';
            space();
            if (!value(out))
                return false;
            space();
            if (take(']'))
                break;
            if (!take(','))
                return false;
        }
        out += '}';
        return true;
    }

    bool value(std::string &out)
    {
        const char c = peek();
        if (c == '[')
            return array(out);
        if (c == '"') {
            std::string text;
            if (!string(text))
                return false;
            quoted(out, text);
            return true;
        }
        if (c == '{') {
            const std::size_t from = m_at;
            if (!skipObject())
                return false;
            quoted(out, m_json.substr(from, m_at - from));
            return true;
        }
        const std::size_t from = m_at;
        while (m_at < m_json.size() &&
               std::string_view(",] \t\r\n").find(m_json[m_at]) == std::string_view::npos)
            ++m_at;
        const std::string_view token = m_json.substr(from, m_at - from);
        if (token.empty())
            return false;
        if (token == "null")
            out += "NULL";
        else if (token == "true" || token == "false" || isJsonNumber(token))
            out += token;
        else
            return false;
        return true;
    }

    // A JSON string, unescaped, into `text`.
    bool string(std::string &text)
    {
        ++m_at; // "
        while (m_at < m_json.size()) {
            const char c = m_json[m_at++];
            if (c == '"')
                return true;
            if (c != '\\') {
                text += c;
                continue;
            }
            if (m_at >= m_json.size())
                return false;
            const char e = m_json[m_at++];
            switch (e) {
            case 'b':
                text += '\b';
                break;
            case 'f':
                text += '\f';
                break;
            case 'n':
                text += '\n';
                break;
            case 'r':
                text += '\r';
                break;
            case 't':
                text += '\t';
                break;
            case 'u': {
                unsigned code = 0;
                if (!hex4(code))
                    return false;
                if (code >= 0xd800 && code < 0xdc00) { // a surrogate pair
                    unsigned low = 0;
                    if (!take('\\') || !take('u') || !hex4(low) || low < 0xdc00 || low > 0xdfff)
                        return false;
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                }
                utf8(text, code);
                break;
            }
            default: // " \ /
                text += e;
            }
        }
        return false;
    }

    bool hex4(unsigned &code)
    {
        if (m_at + 4 > m_json.size())
            return false;
        code = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_json[m_at++];
            code <<= 4;
            if (c >= '0' && c <= '9')
                code |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= static_cast<unsigned>(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    static void utf8(std::string &out, unsigned code)
    {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xc0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3f));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xe0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (code & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (code & 0x3f));
        }
    }

    // Past a JSON object, strings inside it included.
    bool skipObject()
    {
        int depth = 0;
        while (m_at < m_json.size()) {
            const char c = m_json[m_at];
            if (c == '"') {
                std::string ignored;
                if (!string(ignored))
                    return false;
                continue;
            }
            ++m_at;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return true;
        }
        return false;
    }

    // An element in double quotes, with PostgreSQL's backslash escapes.
    static void quoted(std::string &out, std::string_view text)
    {
        out += '"';
        for (const char c : text) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }

    void space()
    {
        while (m_at < m_json.size() && (m_json[m_at] == ' ' || m_json[m_at] == '\t' ||
                                        m_json[m_at] == '\n' || m_json[m_at] == '\r'))
            ++m_at;
    }

    char peek() const { return m_at < m_json.size() ? m_json[m_at] : '\0'; }

    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_at;
        return true;
    }

    std::string_view m_json;
    std::size_t m_at = 0;
};

} // namespace

std::optional<ArrayElements> arrayElementsOf(unsigned typeOid)
{
    // Array type object ids of pg_type.dat; they never change.
    switch (typeOid) {
    case 1000: // bool[]
        return ArrayElements::Boolean;
    case 1005: // int2[]
    case 1007: // int4[]
    case 1016: // int8[]
    case 1021: // float4[]
    case 1022: // float8[]
    case 1028: // oid[]
    case 1231: // numeric[]
        return ArrayElements::Number;
    case 199:  // json[]
    case 3807: // jsonb[]
        return ArrayElements::Json;
    case 1001: // bytea[] (elements in hex)
    case 1003: // name[]
    case 1009: // text[]
    case 1014: // char(n)[]
    case 1015: // varchar[]
    case 1115: // timestamp[]
    case 1182: // date[]
    case 1183: // time[]
    case 1185: // timestamptz[]
    case 1187: // interval[]
    case 2951: // uuid[]
        return ArrayElements::Text;
    default:
        return std::nullopt;
    }
}

std::optional<std::string> pgArrayToJson(std::string_view text, ArrayElements elements)
{
    return ArrayReader(text, elements).read();
}

std::optional<std::string> jsonToPgArray(std::string_view json)
{
    return JsonArrayWriter(json).write();
}

} // namespace weir::connectors::postgres
