#pragma once

// LineReader: reads a text file line by line through a ChunkedFile, with each line's byte
// offset and number, and can continue from a committed offset. Used by one thread.

#include "common/result.h"
#include "connectors/file/chunked_file.h"

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::connectors::file {

class LineReader final
{
public:
    Status open(const QString &path) { return m_file.open(path); }
    Status seek(std::int64_t offset) { return m_file.seek(offset); }
    // The next line without its line ending; false at the end of the file.
    bool next(std::string &line, std::int64_t &startOffset, std::int64_t &lineNumber);

    std::int64_t offset() const { return m_file.offset(); }
    std::int64_t fileSize() const { return m_file.size(); }
    // A read error that ended the file early (ok when the end was the real end).
    const Status &status() const { return m_file.status(); }

private:
    ChunkedFile m_file;
};

} // namespace weir::connectors::file
