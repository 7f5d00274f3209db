#include "connectors/file/csv_reader.h"

#include <QFileInfo>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir::connectors::file {
namespace {

constexpr std::size_t kChunk = 1 << 20;

Error ioError(const QString &path, const char *what)
{
    const int err = errno;
    return makeError(
        err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
        QStringLiteral("cannot %1 %2: %3")
            .arg(QString::fromLatin1(what), path, QString::fromLocal8Bit(std::strerror(err))));
}

} // namespace

CsvReader::~CsvReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status CsvReader::open(const QString &path, char delimiter, char quote)
{
    m_path = path;
    m_delimiter = delimiter;
    m_quote = quote;
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        return ioError(path, "open");
    struct stat st
    {
    };
    if (::fstat(m_fd, &st) != 0)
        return ioError(path, "read");
    if (S_ISDIR(st.st_mode))
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("%1 is a folder, not a file").arg(path));
    m_fileSize = st.st_size;
    m_buffer.resize(kChunk);
    m_pos = m_len = 0;
    m_bufferOffset = 0;
    m_line = 1;
    // A UTF-8 byte order mark is not data; offsets stay true file offsets.
    if (fill() && m_len >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3;
    return {};
}

Status CsvReader::seek(std::int64_t target)
{
    // Count the newlines before the target so line numbers after a resume are exact.
    m_line = 1;
    std::int64_t at = 0;
    while (at < target) {
        const auto want = static_cast<std::size_t>(std::min<std::int64_t>(kChunk, target - at));
        const ssize_t got = ::pread(m_fd, m_buffer.data(), want, at);
        if (got < 0)
            return ioError(m_path, "read");
        if (got == 0)
            break;
        m_line += std::count(m_buffer.data(), m_buffer.data() + got, '\n');
        at += got;
    }
    m_bufferOffset = target;
    m_pos = m_len = 0;
    return {};
}

bool CsvReader::fill()
{
    if (m_pos < m_len)
        return true;
    m_bufferOffset += static_cast<std::int64_t>(m_len);
    m_pos = m_len = 0;
    ssize_t got = 0;
    do {
        got = ::pread(m_fd, m_buffer.data(), m_buffer.size(), m_bufferOffset);
    } while (got < 0 && errno == EINTR);
    if (got <= 0)
        return false;
    m_len = static_cast<std::size_t>(got);
    return true;
}

bool CsvReader::next(std::vector<std::string> &fields, std::size_t &fieldCount, CsvRecordInfo &info)
{
    // Blank lines between records are skipped.
    for (;;) {
        if (atEnd())
            return false;
        const char c = m_buffer[m_pos];
        if (c != '\n' && c != '\r')
            break;
        ++m_pos;
        if (c == '\n')
            ++m_line;
    }
    info.startOffset = offset();
    info.line = m_line;
    info.error.clear();
    fieldCount = 0;
    for (;;) {
        if (fieldCount == fields.size())
            fields.emplace_back();
        std::string &field = fields[fieldCount++];
        field.clear();
        if (!atEnd() && m_buffer[m_pos] == m_quote) {
            ++m_pos;
            for (;;) {
                if (atEnd()) {
                    info.error = "unterminated quoted field";
                    info.endOffset = offset();
                    return true;
                }
                const char *begin = m_buffer.data() + m_pos;
                const char *end = m_buffer.data() + m_len;
                const char *q = static_cast<const char *>(
                    std::memchr(begin, m_quote, static_cast<std::size_t>(end - begin)));
                const char *stop = q ? q : end;
                m_line += std::count(begin, stop, '\n');
                field.append(begin, stop);
                m_pos += static_cast<std::size_t>(stop - begin);
                if (!q)
                    continue;
                ++m_pos; // the quote
                if (!atEnd() && m_buffer[m_pos] == m_quote) {
                    field.push_back(m_quote); // a doubled quote is one quote
                    ++m_pos;
                    continue;
                }
                break;
            }
        }
        // Unquoted text (or what follows a closing quote, kept rather than lost).
        for (;;) {
            if (atEnd()) {
                info.endOffset = offset();
                return true;
            }
            const char *begin = m_buffer.data() + m_pos;
            const char *p = begin;
            const char *end = m_buffer.data() + m_len;
            while (p < end && *p != m_delimiter && *p != '\n' && *p != '\r')
                ++p;
            field.append(begin, p);
            m_pos += static_cast<std::size_t>(p - begin);
            if (p == end)
                continue;
            const char c = *p;
            ++m_pos;
            if (c == m_delimiter)
                break; // next field
            if (c == '\r' && !atEnd() && m_buffer[m_pos] == '\n')
                ++m_pos;
            ++m_line;
            info.endOffset = offset();
            return true;
        }
    }
}

std::string CsvReader::rawText(const CsvRecordInfo &info) const
{
    std::string out(
        static_cast<std::size_t>(std::max<std::int64_t>(0, info.endOffset - info.startOffset)),
        '\0');
    const ssize_t got = ::pread(m_fd, out.data(), out.size(), info.startOffset);
    out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

} // namespace weir::connectors::file
