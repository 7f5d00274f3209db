#pragma once

// LineReader: reads a text file line by line in 1 MiB chunks, with each line's byte offset and
// number, and can continue from a committed offset. Used by one thread.

#include "common/result.h"

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::connectors::file {

class LineReader final
{
public:
    LineReader() = default;
    LineReader(const LineReader &) = delete;
    LineReader &operator=(const LineReader &) = delete;
    ~LineReader();

    Status open(const QString &path);
    Status seek(std::int64_t offset); // counts the lines before it, so numbers stay exact
    // The next line without its line ending; false at the end of the file.
    bool next(std::string &line, std::int64_t &startOffset, std::int64_t &lineNumber);

    std::int64_t offset() const { return m_bufferOffset + static_cast<std::int64_t>(m_pos); }
    std::int64_t fileSize() const { return m_fileSize; }

private:
    bool fill();

    int m_fd = -1;
    QString m_path;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_len = 0;
    std::int64_t m_bufferOffset = 0;
    std::int64_t m_line = 1;
    std::int64_t m_fileSize = 0;
};

} // namespace weir::connectors::file
