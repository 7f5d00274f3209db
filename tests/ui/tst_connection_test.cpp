// Test connection in the inspector, against a real PostgreSQL server: the button runs the node
// type's test off the GUI thread, then says what the server has (version, database, user, the
// table) or why it failed; a secret that cannot be resolved is explained at once. And the
// Problems panel's server checks: a change-data-capture node on a server without logical
// decoding is listed there, with no button to press.

#include "canvas/commands/add_nodes_command.h"
#include "canvas/commands/edit_config_command.h"
#include "document/pipeline_document.h"
#include "inspector/inspector_form.h"
#include "inspector/inspector_widget.h"
#include "model/node_type_registry.h"
#include "panels/validation_panel.h"
#include "support/postgres_server.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QPushButton>
#include <QScrollArea>
#include <QTest>

using namespace weir;
using namespace weir::ui;

class TestConnectionTest : public QObject
{
    Q_OBJECT

private:
    test::PostgresServer m_server;

    // The inspector of a postgres.sink node with this connection, after one click on Test
    // connection and the end of the test; the form's result line. `screenshot`: also saved as
    // screenshots/<name> beside the test, for a person to look at.
    static QString testedWith(const QString &connection, const QString &screenshot = {})
    {
        return nodeTestedWith(
            QStringLiteral("postgres.sink"),
            QJsonObject{{QStringLiteral("connection"), connection},
                        {QStringLiteral("table"), QStringLiteral("orders")},
                        {QStringLiteral("key"), QJsonArray{QStringLiteral("id")}}},
            screenshot);
    }

    // The same for a node of any type with this config.
    static QString nodeTestedWith(const QString &type, const QJsonObject &config,
                                  const QString &screenshot = {})
    {
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        model::NodeSpec node;
        node.id = QStringLiteral("warehouse");
        node.type = type;
        node.config = config;
        doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, QStringLiteral("Add")));
        InspectorWidget inspector(&doc);
        inspector.resize(360, 760);
        inspector.showNode(QStringLiteral("warehouse"));
        auto *form = inspector.findChild<InspectorForm *>();
        auto *button = inspector.findChild<QPushButton *>(QStringLiteral("testConnection"));
        if (!form || !button)
            return QStringLiteral("no Test connection button");
        button->click();
        // A test on its thread disables the button until it ends (10 s connect timeout).
        if (!QTest::qWaitFor([&] { return button->isEnabled(); }, 30000))
            return QStringLiteral("the test did not end");
        if (!screenshot.isEmpty()) {
            const QString dir =
                QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
            QDir().mkpath(dir);
            inspector.show();
            if (auto *area = inspector.findChild<QScrollArea *>())
                area->ensureWidgetVisible(button);
            inspector.grab().save(dir + QLatin1Char('/') + screenshot);
        }
        return form->connectionResult();
    }

private slots:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.error())); }
    void cleanupTestCase() { m_server.stop(); }

    void saysWhatTheServerHas()
    {
        qputenv("WEIR_TEST_PG", m_server.uri().toUtf8());
        const QString before = testedWith(QStringLiteral("${env:WEIR_TEST_PG}"));
        QVERIFY2(before.startsWith(QLatin1String("Connected. PostgreSQL 15")), qPrintable(before));
        QVERIFY2(before.endsWith(QLatin1String(
                     ", database postgres as postgres: table orders will be created by the "
                     "first run.")),
                 qPrintable(before));
        QCOMPARE(m_server.scalar(QStringLiteral("CREATE TABLE orders(id bigint PRIMARY KEY)")),
                 QString());
        const QString after = testedWith(QStringLiteral("${env:WEIR_TEST_PG}"),
                                         QStringLiteral("inspector_connection_test.png"));
        QVERIFY2(after.endsWith(QLatin1String(": table orders is there.")), qPrintable(after));
    }

    void aServerThatIsNotThereSaysSo()
    {
        // Nothing listens on port 1 of the loopback address: the connection is refused.
        const QString result =
            testedWith(QStringLiteral("postgresql://postgres@127.0.0.1:1/postgres"),
                       QStringLiteral("inspector_connection_refused.png"));
        QVERIFY2(result.startsWith(QLatin1String("cannot connect to PostgreSQL: ")),
                 qPrintable(result));
    }

    void kafkaSourceSaysWhatTheClusterHas()
    {
        // brokers "mock:": the example cluster inside this process, topic orders filled.
        const QString result = nodeTestedWith(
            QStringLiteral("kafka.source"),
            QJsonObject{{QStringLiteral("brokers"), QStringLiteral("mock:")},
                        {QStringLiteral("topics"), QJsonArray{QStringLiteral("orders")}},
                        {QStringLiteral("group"), QStringLiteral("weir-example")}},
            QStringLiteral("inspector_kafka_test.png"));
        QCOMPARE(result,
                 QStringLiteral("Connected. 1 broker; orders: 8 partitions, 12012 messages; "
                                "group weir-example: lag 12012"));
    }

    void anUnresolvedSecretIsExplained()
    {
        qunsetenv("WEIR_TEST_PG_NOT_SET");
        QCOMPARE(testedWith(QStringLiteral("${env:WEIR_TEST_PG_NOT_SET}")),
                 QStringLiteral("unresolved ${env:WEIR_TEST_PG_NOT_SET}"));
    }

    void problemsNameAServerWithoutLogicalDecoding()
    {
        test::PostgresServer replica; // stopped by its destructor, by process id
        QVERIFY2(replica.start({QStringLiteral("wal_level=replica")}), qPrintable(replica.error()));
        qputenv("WEIR_TEST_PG_REPLICA", replica.uri().toUtf8());
        qputenv("WEIR_TEST_PG", m_server.uri().toUtf8());
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        model::NodeSpec node;
        node.id = QStringLiteral("changes");
        node.type = QStringLiteral("postgres.cdc");
        node.config = QJsonObject{
            {QStringLiteral("connection"), QStringLiteral("${env:WEIR_TEST_PG_REPLICA}")},
            {QStringLiteral("tables"), QJsonArray{QStringLiteral("public.orders")}}};
        doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, QStringLiteral("Add")));
        ValidationPanel panel(&doc);
        auto walLevelProblem = [&] {
            for (const model::Problem &p : panel.problems()) {
                if (p.nodeId == QLatin1String("changes") &&
                    p.field == QLatin1String("connection") &&
                    p.message.startsWith(QLatin1String("the server's wal_level is 'replica'")))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(walLevelProblem(), 30000);
        const QString dir = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
        QDir().mkpath(dir);
        panel.resize(900, 150);
        panel.show();
        panel.grab().save(dir + QStringLiteral("/problems_wal_level.png"));
        // The server's address never shows, even in the node's own problem.
        for (const model::Problem &p : panel.problems())
            QVERIFY2(!p.message.contains(replica.uri()), qPrintable(p.message));

        // Pointed at a server with logical decoding, the problem goes.
        doc.undoStack()->push(new EditConfigCommand(doc.model(), QStringLiteral("changes"),
                                                    QStringLiteral("connection"),
                                                    QStringLiteral("${env:WEIR_TEST_PG}")));
        QTRY_VERIFY_WITH_TIMEOUT(!walLevelProblem(), 30000);
        // And back: the answer for those settings comes again.
        doc.undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(walLevelProblem(), 30000);
    }
};

QTEST_MAIN(TestConnectionTest)
#include "tst_connection_test.moc"
