#pragma once

// CsvReader: a streaming RFC 4180 reader over one file — quoted fields, doubled quotes,
// delimiters and newlines inside quotes, CRLF or LF, a UTF-8 BOM, a last line without newline.
// Reads 1 MiB at a time and reuses its buffers. Used by one thread.

#include "common/result.h"

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::connectors::file {

struct CsvRecordInfo
{
    std::int64_t startOffset = 0; // byte offset where the record starts
    std::int64_t endOffset = 0;   // byte offset just after it (after its newline)
    std::int64_t line = 0;        // 1-based line where it starts
    std::string error;            // set when the record is malformed (unterminated quote)
};

class CsvReader final
{
public:
    CsvReader() = default;
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;
    ~CsvReader();

    Status open(const QString &path, char delimiter = ',', char quote = '"');
    // Continues at a record boundary found earlier; line numbers stay exact.
    Status seek(std::int64_t offset);

    // Reads the next record into `fields` (reusing their storage); false at the end of the file.
    bool next(std::vector<std::string> &fields, std::size_t &fieldCount, CsvRecordInfo &info);

    // The bytes of a record as they are in the file (for dead-letter payloads).
    std::string rawText(const CsvRecordInfo &info) const;

    std::int64_t offset() const { return m_bufferOffset + static_cast<std::int64_t>(m_pos); }
    std::int64_t fileSize() const { return m_fileSize; }

private:
    bool fill(); // false at end of file
    bool atEnd() { return m_pos >= m_len && !fill(); }

    int m_fd = -1;
    QString m_path;
    char m_delimiter = ',';
    char m_quote = '"';
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_len = 0;
    std::int64_t m_bufferOffset = 0; // file offset of m_buffer[0]
    std::int64_t m_line = 1;
    std::int64_t m_fileSize = 0;
};

} // namespace weir::connectors::file
