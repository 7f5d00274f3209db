#include "connectors/file/line_reader.h"

#include <QFile>
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

LineReader::~LineReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status LineReader::open(const QString &path)
{
    m_path = path;
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
    if (fill() && m_len >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3;
    return {};
}

Status LineReader::seek(std::int64_t target)
{
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

bool LineReader::fill()
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

bool LineReader::next(std::string &line, std::int64_t &startOffset, std::int64_t &lineNumber)
{
    line.clear();
    if (!fill())
        return false;
    startOffset = offset();
    lineNumber = m_line;
    for (;;) {
        const char *begin = m_buffer.data() + m_pos;
        const char *end = m_buffer.data() + m_len;
        const char *nl = static_cast<const char *>(
            std::memchr(begin, '\n', static_cast<std::size_t>(end - begin)));
        line.append(begin, nl ? nl : end);
        m_pos += static_cast<std::size_t>((nl ? nl + 1 : end) - begin);
        if (nl) {
            ++m_line;
            break;
        }
        if (!fill())
            break; // last line without a newline
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return true;
}

} // namespace weir::connectors::file
