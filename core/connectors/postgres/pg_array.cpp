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

} // namespace weir::connectors::postgres
