#include "connectors/kafka/mock_brokers.h"

#include "connectors/kafka/kafka_produce.h"
#include "connectors/kafka/mock_cluster.h"

#include <mutex>

namespace weir::connectors::kafka {
namespace {

constexpr int kExamplePartitions = 8;

std::string exampleOrder(int id, bool shipped)
{
    const int cents = 500 + (id * 7919) % 99500;
    const int minute = shipped ? kExampleOrders + id : id;
    return std::string(R"({"order_id":)") + std::to_string(id) + R"(,"customer_id":)" +
           std::to_string(1000 + (id * 31) % 9000) + R"(,"amount":")" +
           std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
           std::to_string(cents % 100) + R"(","status":")" + (shipped ? "shipped" : "paid") +
           R"(","updated_at":")" +
           QStringLiteral("2026-11-%1T%2:%3:00Z")
               .arg(1 + minute / 1440, 2, 10, QLatin1Char('0'))
               .arg(minute / 60 % 24, 2, 10, QLatin1Char('0'))
               .arg(minute % 60, 2, 10, QLatin1Char('0'))
               .toStdString() +
           R"("})";
}

std::vector<OutgoingMessage> exampleMessages()
{
    std::vector<OutgoingMessage> messages;
    messages.reserve(kExampleOrders + kExampleShipped + kExampleUnreadable);
    const int unreadableEvery = kExampleOrders / kExampleUnreadable;
    for (int id = 1; id <= kExampleOrders; ++id) {
        messages.push_back({std::to_string(id), exampleOrder(id, false), -1});
        if (id % unreadableEvery == 0 && id / unreadableEvery <= kExampleUnreadable)
            messages.push_back({std::to_string(id),
                                R"({"order_id":)" + std::to_string(id) + R"(,"amount":"12.5)", -1});
    }
    for (int i = 1; i <= kExampleShipped; ++i) {
        const int id = i * (kExampleOrders / kExampleShipped);
        messages.push_back({std::to_string(id), exampleOrder(id, true), -1});
    }
    return messages;
}

Result<std::unique_ptr<MockCluster>> startExampleCluster()
{
    auto cluster = MockCluster::start(1);
    if (!cluster)
        return cluster.error();
    if (Status s = cluster.value()->createTopic("orders", kExamplePartitions); !s)
        return s.error();
    if (Status s = produceAndWait(cluster.value()->bootstraps(), "orders", exampleMessages()); !s)
        return s.error();
    return cluster;
}

} // namespace

bool isMockBrokers(std::string_view brokers)
{
    return brokers.starts_with(kMockBrokers);
}

Result<std::string> resolveBrokers(const std::string &brokers)
{
    if (!isMockBrokers(brokers))
        return brokers;
    // One example cluster per process, shared by every node that names it. It is never
    // destroyed: consumers of it may still be closing while the process exits. A start that
    // failed is tried again by the next caller.
    static std::mutex mutex;
    static MockCluster *cluster = nullptr;
    std::lock_guard lock(mutex);
    if (!cluster) {
        auto started = startExampleCluster();
        if (!started)
            return started.error();
        cluster = started.value().release();
    }
    return cluster->bootstraps();
}

} // namespace weir::connectors::kafka
