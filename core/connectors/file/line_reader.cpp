#include "connectors/file/line_reader.h"

#include <cstring>

namespace weir::connectors::file {

bool LineReader::next(std::string &line, std::int64_t &startOffset, std::int64_t &lineNumber)
{
    line.clear();
    if (m_file.atEnd())
        return false;
    startOffset = m_file.offset();
    lineNumber = m_file.line();
    for (;;) {
        const char *begin = m_file.begin();
        const char *end = m_file.end();
        const char *nl = static_cast<const char *>(
            std::memchr(begin, '\n', static_cast<std::size_t>(end - begin)));
        line.append(begin, nl ? nl : end);
        m_file.advance(static_cast<std::size_t>((nl ? nl + 1 : end) - begin));
        if (nl) {
            m_file.addLines(1);
            break;
        }
        if (m_file.atEnd())
            break; // last line without a newline
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return true;
}

} // namespace weir::connectors::file
