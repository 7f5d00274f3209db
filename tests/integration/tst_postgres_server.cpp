// The PostgreSQL server the PostgreSQL connector tests run against (tests/support): a real
// server on 127.0.0.1 with logical WAL, run unprivileged, stopped by its own process id.

#include "support/postgres_server.h"

#include <QFile>
#include <QTest>
#include <libpq-fe.h>
#include <memory>
#include <pwd.h>
#include <unistd.h>

using namespace weir;

namespace {

struct ConnectionDeleter
{
    void operator()(PGconn *c) const { PQfinish(c); }
};
using Connection = std::unique_ptr<PGconn, ConnectionDeleter>;

// The first column of the first row of `sql`, or the error text prefixed with "error: ".
QString scalar(PGconn *connection, const char *sql)
{
    PGresult *result = PQexec(connection, sql);
    QString value;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK && PQntuples(result) > 0)
        value = QString::fromUtf8(PQgetvalue(result, 0, 0));
    else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        value = QStringLiteral("error: ") + QString::fromUtf8(PQresultErrorMessage(result));
    PQclear(result);
    return value;
}

// The real user id a process runs as, from /proc.
int processUid(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Uid:"))
            return line.mid(4).simplified().split(' ').value(0).toInt();
    }
    return -1;
}

} // namespace

class TestPostgresServer : public QObject
{
    Q_OBJECT

private slots:
    void startsQueriesAndStops()
    {
        test::PostgresServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        QVERIFY(server.running());
        const qint64 pid = server.pid();
        QVERIFY(pid > 0);
        if (::geteuid() == 0) {
            const passwd *account = ::getpwnam("postgres");
            QVERIFY(account);
            QCOMPARE(processUid(pid), static_cast<int>(account->pw_uid));
        }

        Connection connection(PQconnectdb(server.uri().toUtf8().constData()));
        QCOMPARE(PQstatus(connection.get()), CONNECTION_OK);
        QCOMPARE(scalar(connection.get(), "SHOW wal_level"), QStringLiteral("logical"));
        QCOMPARE(scalar(connection.get(), "SHOW listen_addresses"), QStringLiteral("127.0.0.1"));
        QCOMPARE(scalar(connection.get(), "CREATE TABLE t(id int PRIMARY KEY, name text)"),
                 QString());
        QCOMPARE(scalar(connection.get(), "INSERT INTO t SELECT g, 'n' || g "
                                          "FROM generate_series(1, 1000) g"),
                 QString());
        QCOMPARE(scalar(connection.get(), "SELECT count(*) FROM t"), QStringLiteral("1000"));
        connection.reset();

        const QByteArray ping =
            QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres")
                .arg(server.port())
                .toUtf8();
        server.stop();
        QVERIFY(!server.running());
        QVERIFY(!QFile::exists(QStringLiteral("/proc/%1").arg(pid)));
        QCOMPARE(PQping(ping.constData()), PQPING_NO_RESPONSE);
    }
};

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_postgres_server.moc"
