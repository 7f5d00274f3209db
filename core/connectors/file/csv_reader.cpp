#include "connectors/file/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace weir::connectors::file {

Status CsvReader::open(const QString &path, char delimiter, char quote)
{
    m_delimiter = delimiter;
    m_quote = quote;
    return m_file.open(path);
}

bool CsvReader::next(std::vector<std::string> &fields, std::size_t &fieldCount, CsvRecordInfo &info)
{
    // Blank lines between records are skipped.
    for (;;) {
        if (m_file.atEnd())
            return false;
        const char c = m_file.peek();
        if (c != '\n' && c != '\r')
            break;
        m_file.advance(1);
        if (c == '\n')
            m_file.addLines(1);
    }
    info.startOffset = m_file.offset();
    info.line = m_file.line();
    info.error.clear();
    info.quoted.clear();
    fieldCount = 0;
    for (;;) {
        if (fieldCount == fields.size())
            fields.emplace_back();
        std::string &field = fields[fieldCount++];
        field.clear();
        const bool quoted = !m_file.atEnd() && m_file.peek() == m_quote;
        info.quoted.push_back(quoted);
        if (quoted) {
            m_file.advance(1);
            for (;;) {
                if (m_file.atEnd()) {
                    info.error = "unterminated quoted field";
                    info.endOffset = m_file.offset();
                    return true;
                }
                const char *begin = m_file.begin();
                const char *end = m_file.end();
                const char *q = static_cast<const char *>(
                    std::memchr(begin, m_quote, static_cast<std::size_t>(end - begin)));
                const char *stop = q ? q : end;
                m_file.addLines(std::count(begin, stop, '\n'));
                field.append(begin, stop);
                m_file.advance(static_cast<std::size_t>(stop - begin));
                if (!q)
                    continue;
                m_file.advance(1); // the quote
                if (!m_file.atEnd() && m_file.peek() == m_quote) {
                    field.push_back(m_quote); // a doubled quote is one quote
                    m_file.advance(1);
                    continue;
                }
                break;
            }
        }
        // Unquoted text (or what follows a closing quote, kept rather than lost).
        for (;;) {
            if (m_file.atEnd()) {
                info.endOffset = m_file.offset();
                return true;
            }
            const char *begin = m_file.begin();
            const char *p = begin;
            const char *end = m_file.end();
            while (p < end && *p != m_delimiter && *p != '\n' && *p != '\r')
                ++p;
            field.append(begin, p);
            m_file.advance(static_cast<std::size_t>(p - begin));
            if (p == end)
                continue;
            const char c = *p;
            m_file.advance(1);
            if (c == m_delimiter)
                break; // next field
            // Lines are counted at each LF, as seek() counts them, so numbers after a resume
            // match a full read: a lone CR ends the record but not the line.
            if (c == '\n') {
                m_file.addLines(1);
            } else if (!m_file.atEnd() && m_file.peek() == '\n') {
                m_file.advance(1);
                m_file.addLines(1);
            }
            info.endOffset = m_file.offset();
            return true;
        }
    }
}

std::string CsvReader::rawText(const CsvRecordInfo &info) const
{
    std::string out = m_file.read(info.startOffset, info.endOffset);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

} // namespace weir::connectors::file
