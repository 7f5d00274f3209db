// The PostgreSQL server the PostgreSQL connector tests run against (tests/support): a real
// server on 127.0.0.1 with logical WAL, run unprivileged, stopped by its own process id.

#include "support/postgres_server.h"

#include <QFile>
#include <QTest>
#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

using namespace weir;

namespace {

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

        QCOMPARE(server.scalar(QStringLiteral("SHOW wal_level")), QStringLiteral("logical"));
        QCOMPARE(server.scalar(QStringLiteral("SHOW listen_addresses")),
                 QStringLiteral("127.0.0.1"));
        QCOMPARE(server.scalar(QStringLiteral("CREATE TABLE t(id int PRIMARY KEY, name text)")),
                 QString());
        QCOMPARE(server.scalar(QStringLiteral("INSERT INTO t SELECT g, 'n' || g "
                                              "FROM generate_series(1, 1000) g")),
                 QString());
        QCOMPARE(server.scalar(QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("1000"));

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
