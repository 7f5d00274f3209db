#pragma once

// ChunkedFile: a file read through a 1 MiB buffer, with the byte offset and line number of the
// read position — what the CSV and line readers share. Skips a UTF-8 byte order mark; can
// continue from an offset with exact line numbers. Used by one thread.

#include "common/result.h"

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::connectors::file {

class ChunkedFile final
{
public:
    ChunkedFile() = default;
    ChunkedFile(const ChunkedFile &) = delete;
    ChunkedFile &operator=(const ChunkedFile &) = delete;
    ~ChunkedFile();

    Status open(const QString &path);
    // Continues at `offset`, counting the newlines before it so line numbers stay exact.
    Status seek(std::int64_t offset);

    // True when nothing is left; refills the buffer when it is used up.
    bool atEnd() { return m_pos >= m_len && !fill(); }
    // The unread part of the buffer (valid until the next atEnd()).
    const char *begin() const { return m_buffer.data() + m_pos; }
    const char *end() const { return m_buffer.data() + m_len; }
    char peek() const { return m_buffer[m_pos]; }
    void advance(std::size_t bytes) { m_pos += bytes; }

    std::int64_t line() const { return m_line; }
    void addLines(std::int64_t lines) { m_line += lines; }
    std::int64_t offset() const { return m_bufferOffset + static_cast<std::int64_t>(m_pos); }
    std::int64_t size() const { return m_size; }
    // Bytes [from, to) as they are in the file.
    std::string read(std::int64_t from, std::int64_t to) const;
    // Why reading stopped early: a read error, not the end of the file (ok otherwise).
    const Status &status() const { return m_status; }

private:
    bool fill();

    int m_fd = -1;
    QString m_path;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_len = 0;
    std::int64_t m_bufferOffset = 0; // file offset of m_buffer[0]
    std::int64_t m_line = 1;
    std::int64_t m_size = 0;
    Status m_status;
};

} // namespace weir::connectors::file
