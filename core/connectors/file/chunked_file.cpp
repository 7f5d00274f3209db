#include "connectors/file/chunked_file.h"

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

ChunkedFile::~ChunkedFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status ChunkedFile::open(const QString &path)
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
    m_size = st.st_size;
    m_buffer.resize(kChunk);
    m_pos = m_len = 0;
    m_bufferOffset = 0;
    m_line = 1;
    // A UTF-8 byte order mark is not data; offsets stay true file offsets.
    if (fill() && m_len >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3;
    return {};
}

Status ChunkedFile::seek(std::int64_t target)
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

bool ChunkedFile::fill()
{
    if (m_pos < m_len)
        return true;
    m_bufferOffset += static_cast<std::int64_t>(m_len);
    m_pos = m_len = 0;
    ssize_t got = 0;
    do {
        got = ::pread(m_fd, m_buffer.data(), m_buffer.size(), m_bufferOffset);
    } while (got < 0 && errno == EINTR);
    if (got < 0)
        m_status = ioError(m_path, "read");
    if (got <= 0)
        return false;
    m_len = static_cast<std::size_t>(got);
    return true;
}

std::string ChunkedFile::read(std::int64_t from, std::int64_t to) const
{
    std::string out(static_cast<std::size_t>(std::max<std::int64_t>(0, to - from)), '\0');
    const ssize_t got = ::pread(m_fd, out.data(), out.size(), from);
    out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return out;
}

} // namespace weir::connectors::file
