// kafka.source as the designer and weir-run see it: its config checked before any run (a
// misspelt librdkafka property, a password in clear, a property Weir sets itself, no topics),
// and Test connection against the example cluster of "mock:" (topics, partitions, messages,
// the group's lag) and against brokers that are not there.

#include "connectors/kafka/mock_brokers.h"
#include "model/node_type_registry.h"

#include <QJsonArray>
#include <QTest>

using namespace weir;

namespace {

const model::NodeType &kafkaSource()
{
    const model::NodeType *type =
        model::NodeTypeRegistry::builtin().find(QStringLiteral("kafka.source"));
    Q_ASSERT(type);
    return *type;
}

QJsonObject config(const QJsonObject &properties)
{
    return QJsonObject{{QStringLiteral("brokers"), QStringLiteral("127.0.0.1:9092")},
                       {QStringLiteral("topics"), QJsonArray{QStringLiteral("orders")}},
                       {QStringLiteral("properties"), properties}};
}

QStringList problems(const QJsonObject &config)
{
    QStringList out;
    for (const model::FieldProblem &p : kafkaSource().checkConfig(config))
        out << p.field + QStringLiteral(": ") + p.message;
    return out;
}

Result<QString> testConnection(const QJsonObject &values)
{
    const model::NodeType &type = kafkaSource();
    return type.testConnection(
        model::NodeConfig(QStringLiteral("read"), QString(), type.schema.withDefaults(values)));
}

} // namespace

class TestKafkaNodeType : public QObject
{
    Q_OBJECT

private slots:
    void propertiesAreCheckedBeforeARun()
    {
        QCOMPARE(problems(config({{QStringLiteral("fetch.wait.max.ms"), QStringLiteral("100")},
                                  {QStringLiteral("session.timeout.ms"), 6000}})),
                 QStringList());
        const QStringList typo =
            problems(config({{QStringLiteral("fetch.wait.max.msec"), QStringLiteral("100")}}));
        QCOMPARE(typo.size(), 1);
        QVERIFY2(
            typo.front().startsWith(QStringLiteral("properties: property 'fetch.wait.max.msec': ")),
            qPrintable(typo.front()));
        QCOMPARE(
            problems(config({{QStringLiteral("ssl.key.password"), QStringLiteral("hunter2")}})),
            QStringList{QStringLiteral("properties: property 'ssl.key.password' in clear: use "
                                       "${env:NAME} or ${keychain:NAME}")});
        QCOMPARE(problems(config({{QStringLiteral("ssl.key.password"),
                                   QStringLiteral("${env:KAFKA_PASSWORD}")}})),
                 QStringList());
        // A reference is only resolved at run time, but its property's name is checked now.
        QCOMPARE(problems(config(
                     {{QStringLiteral("sasl.pasword"), QStringLiteral("${env:KAFKA_PASSWORD}")}})),
                 QStringList{QStringLiteral("properties: property 'sasl.pasword': No such "
                                            "configuration property: \"sasl.pasword\"")});
        QCOMPARE(problems(config({{QStringLiteral("sasl.username"), QStringLiteral("ada")}})),
                 QStringList{QStringLiteral("properties: property 'sasl.username': use the SASL "
                                            "user and password fields")});
        QCOMPARE(problems(config({{QStringLiteral("group.id"), QStringLiteral("mine")}})),
                 QStringList{QStringLiteral("properties: property 'group.id' is set by Weir (use "
                                            "`group` and `start`)")});
        QJsonObject noTopics = config({});
        noTopics.remove(QStringLiteral("topics"));
        QCOMPARE(problems(noTopics),
                 QStringList{QStringLiteral("topics: name the topics to read")});
    }

    void testConnectionDescribesTheExampleCluster()
    {
        auto described =
            testConnection({{QStringLiteral("brokers"), QStringLiteral("mock:")},
                            {QStringLiteral("topics"), QJsonArray{QStringLiteral("orders")}},
                            {QStringLiteral("group"), QStringLiteral("nobody-yet")}});
        if (!described)
            QFAIL(qPrintable(described.error().message));
        const int messages = connectors::kafka::kExampleOrders +
                             connectors::kafka::kExampleShipped +
                             connectors::kafka::kExampleUnreadable;
        // A group that has committed nothing is behind by every message.
        QCOMPARE(described.value(),
                 QStringLiteral("1 broker; orders: 8 partitions, %1 messages; group nobody-yet: "
                                "lag %1")
                     .arg(QLocale::c().toString(messages)));

        auto missing =
            testConnection({{QStringLiteral("brokers"), QStringLiteral("mock:")},
                            {QStringLiteral("topics"), QJsonArray{QStringLiteral("order")}}});
        QVERIFY(!missing);
        QCOMPARE(missing.error().message, QStringLiteral("topic order does not exist"));
    }

    void testConnectionSaysWhenNoBrokerAnswers()
    {
        // Port 1 on loopback: nothing listens there.
        auto unreachable =
            testConnection({{QStringLiteral("brokers"), QStringLiteral("127.0.0.1:1")},
                            {QStringLiteral("topics"), QJsonArray{QStringLiteral("orders")}},
                            {QStringLiteral("properties"),
                             QJsonObject{{QStringLiteral("log_level"), QStringLiteral("0")}}}});
        QVERIFY(!unreachable);
        QVERIFY2(
            unreachable.error().message.startsWith(QStringLiteral("cannot reach the brokers: ")),
            qPrintable(unreachable.error().message));
    }
};

QTEST_GUILESS_MAIN(TestKafkaNodeType)
#include "tst_kafka_node_type.moc"
