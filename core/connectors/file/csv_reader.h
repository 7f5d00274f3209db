#pragma once

// CsvReader: a streaming RFC 4180 reader over one file — quoted fields, doubled quotes,
// delimiters and newlines inside quotes, CRLF or LF, a UTF-8 BOM, a last line without newline.
// Reads through a ChunkedFile and reuses its buffers. Used by one thread.

#include "common/result.h"
#include "connectors/file/chunked_file.h"

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
    // Per field, whether it was enclosed in quotes: "" is an empty text, an empty unquoted
    // field may mean a missing value.
    std::vector<bool> quoted;
};

class CsvReader final
{
public:
    Status open(const QString &path, char delimiter = ',', char quote = '"');
    // Continues at a record boundary found earlier; line numbers stay exact.
    Status seek(std::int64_t offset) { return m_file.seek(offset); }

    // Reads the next record into `fields` (reusing their storage); false at the end of the file.
    bool next(std::vector<std::string> &fields, std::size_t &fieldCount, CsvRecordInfo &info);

    // The bytes of a record as they are in the file (for dead-letter payloads).
    std::string rawText(const CsvRecordInfo &info) const;

    std::int64_t offset() const { return m_file.offset(); }
    std::int64_t fileSize() const { return m_file.size(); }
    // A read error that ended the file early (ok when the end was the real end).
    const Status &status() const { return m_file.status(); }

private:
    ChunkedFile m_file;
    char m_delimiter = ',';
    char m_quote = '"';
};

} // namespace weir::connectors::file
