#include "connectors/file/json_line_parser.h"

#include <charconv>

namespace weir::connectors::file {
namespace {

class Parser
{
public:
    Parser(std::string_view text, JsonLineError &error) : m_s(text), m_error(error) {}

    bool object(std::vector<std::pair<std::string, record::Value>> &fields)
    {
        fields.clear();
        space();
        if (!take('{'))
            return fail("expected '{' (each line must be a JSON object)");
        space();
        if (take('}'))
            return end();
        for (;;) {
            space();
            std::string key;
            if (peek() != '"')
                return fail("expected a quoted key");
            if (!string(key))
                return false;
            space();
            if (!take(':'))
                return fail("expected ':' after the key");
            space();
            record::Value value;
            if (!this->value(value))
                return false;
            fields.emplace_back(std::move(key), std::move(value));
            space();
            if (take(','))
                continue;
            if (take('}'))
                return end();
            return fail("expected ',' or '}'");
        }
    }

private:
    char peek() const { return m_pos < m_s.size() ? m_s[m_pos] : '\0'; }
    bool take(char c)
    {
        if (peek() != c || m_pos >= m_s.size())
            return false;
        ++m_pos;
        return true;
    }
    void space()
    {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' ||
                                      m_s[m_pos] == '\r' || m_s[m_pos] == '\n'))
            ++m_pos;
    }
    bool fail(const char *message)
    {
        m_error.column = m_pos + 1;
        m_error.message = message;
        return false;
    }
    bool end()
    {
        space();
        return m_pos == m_s.size() ? true : fail("unexpected text after the object");
    }

    static void appendUtf8(std::string &out, unsigned cp)
    {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    bool hex4(unsigned &out)
    {
        if (m_pos + 4 > m_s.size())
            return fail("incomplete \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_s[m_pos++];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= static_cast<unsigned>(c - 'A' + 10);
            else
                return fail("invalid \\u escape");
        }
        return true;
    }

    bool string(std::string &out)
    {
        ++m_pos; // opening quote
        for (;;) {
            const std::size_t start = m_pos;
            while (m_pos < m_s.size() && m_s[m_pos] != '"' && m_s[m_pos] != '\\' &&
                   static_cast<unsigned char>(m_s[m_pos]) >= 0x20)
                ++m_pos;
            out.append(m_s.substr(start, m_pos - start));
            if (m_pos >= m_s.size())
                return fail("unterminated string");
            const char c = m_s[m_pos++];
            if (c == '"')
                return true;
            if (c != '\\') {
                --m_pos;
                return fail("control character in string");
            }
            if (m_pos >= m_s.size())
                return fail("unterminated string");
            switch (m_s[m_pos++]) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '/':
                out.push_back('/');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                unsigned cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned low = 0;
                    if (!take('\\') || !take('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF)
                        return fail("unpaired surrogate in \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("unpaired surrogate in \\u escape");
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                --m_pos;
                return fail("invalid escape");
            }
        }
    }

    bool number(record::Value &out)
    {
        const std::size_t start = m_pos;
        take('-');
        auto digits = [&] {
            const std::size_t from = m_pos;
            while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9')
                ++m_pos;
            return m_pos - from;
        };
        auto invalid = [&] {
            m_pos = start; // point at the number, not where reading stopped
            return fail("invalid number");
        };
        const std::size_t intStart = m_pos;
        const std::size_t intDigits = digits();
        if (intDigits == 0 || (intDigits > 1 && m_s[intStart] == '0'))
            return invalid();
        bool integral = true;
        if (take('.')) {
            integral = false;
            if (digits() == 0)
                return invalid();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            ++m_pos;
            if (!take('+'))
                take('-');
            if (digits() == 0)
                return invalid();
        }
        const std::string_view literal = m_s.substr(start, m_pos - start);
        if (integral) {
            std::int64_t v = 0;
            const auto [end, ec] =
                std::from_chars(literal.data(), literal.data() + literal.size(), v);
            if (ec == std::errc() && end == literal.data() + literal.size()) {
                out = record::Value::fromInt(v);
                return true;
            }
        }
        out = record::Value::fromDecimalText(std::string(literal));
        return true;
    }

    // Objects and arrays inside a record are kept as their JSON text.
    bool nested(record::Value &out)
    {
        const std::size_t start = m_pos;
        int depth = 0;
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos];
            if (c == '"') {
                std::string ignored;
                if (!string(ignored))
                    return false;
                continue;
            }
            ++m_pos;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0) {
                out = record::Value::fromString(std::string(m_s.substr(start, m_pos - start)));
                return true;
            }
        }
        return fail("unterminated nested value");
    }

    bool literal(std::string_view word, record::Value value, record::Value &out)
    {
        if (m_s.substr(m_pos, word.size()) != word)
            return fail("invalid value");
        m_pos += word.size();
        out = std::move(value);
        return true;
    }

    bool value(record::Value &out)
    {
        switch (peek()) {
        case '"': {
            std::string text;
            if (!string(text))
                return false;
            out = record::Value::fromString(std::move(text));
            return true;
        }
        case '{':
        case '[':
            return nested(out);
        case 't':
            return literal("true", record::Value::fromBool(true), out);
        case 'f':
            return literal("false", record::Value::fromBool(false), out);
        case 'n':
            return literal("null", record::Value(), out);
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return number(out);
            return fail("invalid value");
        }
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
    JsonLineError &m_error;
};

} // namespace

bool parseJsonObjectLine(std::string_view line,
                         std::vector<std::pair<std::string, record::Value>> &fields,
                         JsonLineError &error)
{
    return Parser(line, error).object(fields);
}

} // namespace weir::connectors::file
