#include "support/postgres_server.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <arpa/inet.h>
#include <csignal>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace weir::test {
namespace {

// The newest installed server, e.g. /usr/lib/postgresql/15/bin.
QString serverBinDir()
{
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString bin = root.filePath(*it + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/initdb")))
            return bin;
    }
    return {};
}

// A port nothing listens on right now (the kernel's pick for an ephemeral bind).
int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

QString tail(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = f.size();
    f.seek(std::max<qint64>(0, size - 2000));
    return QString::fromUtf8(f.readAll()).trimmed();
}

} // namespace

QStringList PostgresServer::asOwner(const QString &program, const QStringList &arguments) const
{
    // setpriv execs the program (same process id). The parent-death signal is a fast shutdown,
    // so a test that crashes does not leave its server behind.
    QStringList command{QStringLiteral("setpriv"), QStringLiteral("--pdeathsig"),
                        QStringLiteral("INT")};
    if (!m_owner.isEmpty())
        command << QStringLiteral("--reuid=") + m_owner << QStringLiteral("--regid=") + m_owner
                << QStringLiteral("--init-groups");
    return command << QStringLiteral("--") << program << arguments;
}

QString PostgresServer::uri() const
{
    return QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(m_port);
}

QString PostgresServer::scalar(const QString &sql) const
{
    PGconn *connection = PQconnectdb(uri().toUtf8().constData());
    QString value;
    if (PQstatus(connection) != CONNECTION_OK) {
        value = QStringLiteral("error: ") + QString::fromUtf8(PQerrorMessage(connection));
    } else {
        PGresult *result = PQexec(connection, sql.toUtf8().constData());
        const ExecStatusType status = PQresultStatus(result);
        if (status == PGRES_TUPLES_OK && PQntuples(result) > 0)
            value = QString::fromUtf8(PQgetvalue(result, 0, 0));
        else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            value = QStringLiteral("error: ") + QString::fromUtf8(PQresultErrorMessage(result));
        PQclear(result);
    }
    PQfinish(connection);
    return value;
}

bool PostgresServer::initCluster()
{
    m_bin = serverBinDir();
    if (m_bin.isEmpty()) {
        m_error = QStringLiteral("no PostgreSQL server under /usr/lib/postgresql (./dev installs "
                                 "the postgresql package)");
        return false;
    }
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir->errorString());
        return false;
    }
    if (::geteuid() == 0) {
        // The server will not run as root: the folder and the server go to `postgres`.
        const passwd *account = ::getpwnam("postgres");
        if (!account) {
            m_error = QStringLiteral("running as root and there is no postgres account");
            return false;
        }
        m_owner = QStringLiteral("postgres");
        if (::chown(QFile::encodeName(m_dir->path()).constData(), account->pw_uid,
                    account->pw_gid) != 0) {
            m_error = QStringLiteral("cannot hand %1 to the postgres account").arg(m_dir->path());
            return false;
        }
    }
    QProcess initdb;
    initdb.setWorkingDirectory(m_dir->path());
    initdb.setProcessChannelMode(QProcess::MergedChannels);
    const QStringList command = asOwner(
        m_bin + QStringLiteral("/initdb"),
        {QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-U"),
         QStringLiteral("postgres"), QStringLiteral("--auth=trust"), QStringLiteral("-E"),
         QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync")});
    initdb.start(command.first(), command.mid(1));
    if (!initdb.waitForFinished(120000) || initdb.exitStatus() != QProcess::NormalExit ||
        initdb.exitCode() != 0) {
        m_error = QStringLiteral("initdb failed: %1").arg(QString::fromUtf8(initdb.readAll()));
        return false;
    }
    return true;
}

bool PostgresServer::launch(int port)
{
    m_port = port;
    m_server = std::make_unique<QProcess>();
    m_server->setWorkingDirectory(m_dir->path());
    // A file, not a pipe: nobody reads a pipe while a test runs, and a full one blocks the server.
    const QString log = m_dir->filePath(QStringLiteral("server.log"));
    m_server->setStandardOutputFile(log, QIODevice::Append);
    m_server->setStandardErrorFile(log, QIODevice::Append);
    QStringList arguments{QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")),
                          QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                          QStringLiteral("-c"), QStringLiteral("port=%1").arg(m_port),
                          QStringLiteral("-c"),
                          QStringLiteral("unix_socket_directories=") + m_dir->path(),
                          QStringLiteral("-c"), QStringLiteral("wal_level=logical"),
                          QStringLiteral("-c"), QStringLiteral("max_replication_slots=20"),
                          QStringLiteral("-c"), QStringLiteral("max_wal_senders=20"),
                          // Durable against a crash of the server or of Weir; only an OS crash
                          // could lose writes, and a test never survives one.
                          QStringLiteral("-c"), QStringLiteral("fsync=off")};
    for (const QString &setting : m_settings)
        arguments << QStringLiteral("-c") << setting;
    const QStringList command = asOwner(m_bin + QStringLiteral("/postgres"), arguments);
    m_server->start(command.first(), command.mid(1));
    if (!m_server->waitForStarted(30000)) {
        m_error = QStringLiteral("cannot start postgres: %1").arg(m_server->errorString());
        return false;
    }
    if (waitUntilReady(60000))
        return true;
    m_error = QStringLiteral("postgres on port %1 did not come up: %2").arg(m_port).arg(tail(log));
    stop();
    return false;
}

bool PostgresServer::waitUntilReady(int timeoutMs)
{
    const QByteArray conninfo =
        QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres connect_timeout=5")
            .arg(m_port)
            .toUtf8();
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        if (PQping(conninfo.constData()) == PQPING_OK)
            return true;
        // Exited: the port was taken after all, or the cluster is broken.
        if (m_server->waitForFinished(20))
            return false;
    }
    return false;
}

bool PostgresServer::start(const QStringList &settings)
{
    m_settings = settings;
    if (!initCluster())
        return false;
    // The port was free when picked; another process may take it before the server binds it.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (launch(freeLoopbackPort()))
            return true;
    }
    return false;
}

bool PostgresServer::restart()
{
    const int port = m_port;
    stop();
    return launch(port);
}

void PostgresServer::stop()
{
    if (!m_server)
        return;
    if (m_server->state() != QProcess::NotRunning) {
        // SIGINT is PostgreSQL's fast shutdown: sessions end, the server exits cleanly.
        ::kill(static_cast<pid_t>(m_server->processId()), SIGINT);
        if (!m_server->waitForFinished(30000)) {
            ::kill(static_cast<pid_t>(m_server->processId()), SIGKILL);
            m_server->waitForFinished(30000);
        }
    }
    m_server.reset();
}

} // namespace weir::test
