#pragma once

// PostgresServer: a real, throwaway PostgreSQL server for a test. initdb into a temporary
// folder, a free port on 127.0.0.1 only, wal_level=logical with room for 20 replication slots
// (CDC tests need them), trust authentication for the `postgres` role over TCP. The server
// refuses to run as root, so when the test runs as root the folder belongs to the `postgres`
// account and the server runs as that account (setpriv execs it, so the process id held here is the
// server's own). stop() — and the destructor — shut down exactly the process this object started;
// the server also gets a fast-shutdown signal if the thread that started it (the test) dies.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace weir::test {

class PostgresServer final
{
public:
    PostgresServer() = default;
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;
    ~PostgresServer() { stop(); }

    // initdb + start, waiting until the server accepts connections. False with error() set
    // when any step fails (its output is in the message). `settings` ("name=value") come after,
    // and so override, the defaults above.
    bool start(const QStringList &settings = {});
    // Fast shutdown, then the same cluster up again on the same port (a server restart as
    // clients see it).
    bool restart();
    // Fast shutdown of the server process (SIGINT, then SIGKILL after 30 s) and waits for it.
    void stop();
    bool running() const { return m_server && m_server->state() == QProcess::Running; }
    qint64 pid() const { return m_server ? m_server->processId() : 0; }
    int port() const { return m_port; }
    // libpq URI of the `postgres` database as the `postgres` superuser.
    QString uri() const;
    const QString &error() const { return m_error; }
    // The first column of the first row of `sql` on a new connection; "error: …" when the
    // statement fails, empty for a statement without rows.
    QString scalar(const QString &sql) const;

private:
    bool initCluster();
    bool launch(int port);
    bool waitUntilReady(int timeoutMs);
    // The command line that runs `program` as the account that owns the cluster.
    QStringList asOwner(const QString &program, const QStringList &arguments) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_bin;
    QString m_owner; // the OS account the server runs as; empty: the current one
    int m_port = 0;
    QStringList m_settings;
    QString m_error;
};

} // namespace weir::test
