#include "support/orders_generator.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace weir::test {

namespace {

constexpr std::array<const char *, 6> newStatuses{"pending", "pending", "pending",
                                                  "paid",    "paid",    "shipped"};
constexpr std::array<const char *, 5> updateStatuses{"paid", "shipped", "delivered", "cancelled",
                                                     "refunded"};
constexpr double dupFraction = 0.05;
constexpr std::int64_t firstMillis = 1704067200000; // 2024-01-01T00:00:00.000Z
constexpr const char *impossibleTimestamp = "2024-13-45T25:61:00.000Z";
constexpr const char *header = "order_id,customer_id,amount,status,updated_at\n";

// The engine's output is specified, not the distributions of the standard library (they differ
// between implementations), so draws are derived from the raw 64-bit stream here.
class Random
{
public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}
    std::uint64_t below(std::uint64_t n) { return m_engine() % n; }
    double unit() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }

private:
    std::mt19937_64 m_engine;
};

std::string isoMillis(std::int64_t epochMillis)
{
    // Days to civil date (H. Hinnant's algorithm), valid for any date after 1970.
    const std::int64_t days = epochMillis / 86400000;
    const std::int64_t msOfDay = epochMillis % 86400000;
    const std::int64_t z = days + 719468;
    const std::int64_t era = z / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char text[96];
    std::snprintf(text, sizeof text,
                  "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64
                  ".%03" PRId64 "Z",
                  year, month, day, msOfDay / 3600000, msOfDay / 60000 % 60, msOfDay / 1000 % 60,
                  msOfDay % 1000);
    return text;
}

std::string amountText(std::int64_t cents)
{
    char text[32];
    std::snprintf(text, sizeof text, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
    return text;
}

std::string jsonString(const std::string &s)
{
    return '"' + s + '"'; // the generator never writes a quote or a backslash
}

struct Order
{
    std::int64_t id = 0;
    std::int64_t customer = 0;
    std::int64_t cents = 0; // latest version in the good file
    const char *status = "";
    std::int64_t badCents = -1; // latest valid version in the _bad file; -1: none yet
    const char *badStatus = "";
};

struct Row
{
    std::string orderId, customerId, amount, status, updatedAt;
    bool amountIsText = false;  // JSON: a string instead of a number literal
    bool orderIdIsText = false; // JSON: a string instead of a number literal
    bool missingLast = false;   // updated_at left out
};

void appendCsv(std::string &out, const Row &r)
{
    out.append(r.orderId).append(",").append(r.customerId).append(",").append(r.amount);
    out.append(",").append(r.status);
    if (!r.missingLast)
        out.append(",").append(r.updatedAt);
    out.append("\n");
}

void appendJsonLine(std::string &out, const Row &r)
{
    out.append("{\"order_id\":").append(r.orderIdIsText ? jsonString(r.orderId) : r.orderId);
    out.append(",\"customer_id\":").append(r.customerId);
    out.append(",\"amount\":").append(r.amountIsText ? jsonString(r.amount) : r.amount);
    out.append(",\"status\":").append(jsonString(r.status));
    if (!r.missingLast)
        out.append(",\"updated_at\":").append(jsonString(r.updatedAt));
    out.append("}\n");
}

// A file written through a buffer; reports the first failure.
class OutFile
{
public:
    explicit OutFile(const QString &path) : m_file(path)
    {
        m_ok = m_file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        if (!m_ok)
            qWarning("cannot write %s", qPrintable(path));
    }
    std::string &buffer() { return m_buffer; }
    void flushIfLarge()
    {
        if (m_buffer.size() >= (1 << 20))
            flush();
    }
    bool finish()
    {
        flush();
        m_file.close();
        return m_ok;
    }

private:
    void flush()
    {
        if (m_ok && m_file.write(m_buffer.data(), static_cast<qint64>(m_buffer.size())) !=
                        static_cast<qint64>(m_buffer.size()))
            m_ok = false;
        m_buffer.clear();
    }
    QFile m_file;
    std::string m_buffer;
    bool m_ok = false;
};

// Turns a valid row into one kind of malformed row; returns the kind.
QString spoil(Row &r, Random &random)
{
    switch (random.below(3)) {
    case 0:
        switch (random.below(5)) {
        case 0:
            r.amount.back() = 'x'; // "12.3x"
            r.amountIsText = true;
            break;
        case 1:
            r.amount = "N/A";
            r.amountIsText = true;
            break;
        case 2:
            r.amount = "1.2.3";
            r.amountIsText = true;
            break;
        case 3:
            r.amount.clear();
            r.amountIsText = true;
            break;
        default:
            r.orderId += "a"; // "17a"
            r.orderIdIsText = true;
            break;
        }
        return QStringLiteral("bad_number");
    case 1:
        r.missingLast = true;
        return QStringLiteral("missing_column");
    default:
        r.updatedAt = impossibleTimestamp;
        return QStringLiteral("bad_timestamp");
    }
}

void summarise(OrdersExpected &e, const std::vector<Order> &orders, bool badVariant)
{
    std::int64_t cents = 0;
    for (const Order &o : orders) {
        const std::int64_t c = badVariant ? o.badCents : o.cents;
        if (c < 0)
            continue;
        ++e.distinctIds;
        cents += c;
        ++e.finalStatusCounts[QString::fromLatin1(badVariant ? o.badStatus : o.status)];
    }
    e.finalAmountSum = QString::fromStdString(amountText(cents));
    e.validRows = e.rows - e.badRows;
}

QJsonObject toJson(const OrdersExpected &e, std::uint64_t seed)
{
    QJsonObject statuses;
    for (const auto &[status, count] : e.finalStatusCounts)
        statuses.insert(status, count);
    QJsonObject kinds;
    for (const auto &[kind, count] : e.badKinds)
        kinds.insert(kind, count);
    return QJsonObject{{QStringLiteral("rows"), e.rows},
                       {QStringLiteral("valid_rows"), e.validRows},
                       {QStringLiteral("distinct_ids"), e.distinctIds},
                       {QStringLiteral("dup_rows"), e.dupRows},
                       {QStringLiteral("bad_rows"), e.badRows},
                       {QStringLiteral("bad_kinds"), kinds},
                       {QStringLiteral("final_amount_sum"), e.finalAmountSum},
                       {QStringLiteral("final_status_counts"), statuses},
                       {QStringLiteral("seed"), static_cast<qint64>(seed)}};
}

bool writeJson(const QString &path, const QJsonObject &object)
{
    QFile f(path);
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        qWarning("cannot write %s", qPrintable(path));
        return false;
    }
    return true;
}

} // namespace

OrdersDataSet writeOrders(const QString &dir, int rows, double badFraction, std::uint64_t seed)
{
    OrdersDataSet set;
    set.seed = seed;
    QDir().mkpath(dir);
    const QString prefix = dir + QStringLiteral("/orders_") + QString::number(rows);
    const bool withBad = badFraction > 0;
    OutFile csv(prefix + QStringLiteral(".csv"));
    OutFile jsonl(prefix + QStringLiteral(".jsonl"));
    std::optional<OutFile> badCsv, badJsonl;
    if (withBad) {
        badCsv.emplace(prefix + QStringLiteral("_bad.csv"));
        badJsonl.emplace(prefix + QStringLiteral("_bad.jsonl"));
        badCsv->buffer() = header;
    }
    csv.buffer() = header;

    Random random(seed);
    Random badRandom(seed * 0x9E3779B97F4A7C15ULL + 1); // its own stream
    std::vector<Order> orders;
    std::int64_t nextId = 1000;
    set.good.badKinds = {{QStringLiteral("bad_number"), 0},
                         {QStringLiteral("missing_column"), 0},
                         {QStringLiteral("bad_timestamp"), 0}};
    set.bad.badKinds = set.good.badKinds;
    for (int i = 0; i < rows; ++i) {
        const std::int64_t ms =
            firstMillis + std::int64_t(i) * 100 + static_cast<std::int64_t>(random.below(100));
        std::size_t k = 0;
        const char *status = nullptr;
        if (!orders.empty() && random.unit() < dupFraction) {
            k = static_cast<std::size_t>(random.below(orders.size()));
            status = updateStatuses[random.below(updateStatuses.size())];
            ++set.good.dupRows;
        } else {
            nextId += 1 + static_cast<std::int64_t>(random.below(3));
            Order o;
            o.id = nextId;
            o.customer = 1 + static_cast<std::int64_t>(random.below(200000));
            orders.push_back(o);
            k = orders.size() - 1;
            status = newStatuses[random.below(newStatuses.size())];
        }
        const std::int64_t cents = 100 + static_cast<std::int64_t>(random.below(99900));
        Order &order = orders[k];
        order.cents = cents;
        order.status = status;
        Row row{std::to_string(order.id), std::to_string(order.customer), amountText(cents), status,
                isoMillis(ms)};
        appendCsv(csv.buffer(), row);
        appendJsonLine(jsonl.buffer(), row);
        csv.flushIfLarge();
        jsonl.flushIfLarge();
        if (!withBad)
            continue;
        if (badRandom.unit() < badFraction) {
            ++set.bad.badKinds[spoil(row, badRandom)];
            ++set.bad.badRows;
        } else {
            order.badCents = cents;
            order.badStatus = status;
        }
        appendCsv(badCsv->buffer(), row);
        appendJsonLine(badJsonl->buffer(), row);
        badCsv->flushIfLarge();
        badJsonl->flushIfLarge();
    }

    set.good.rows = rows;
    set.bad.rows = rows;
    set.bad.dupRows = set.good.dupRows;
    summarise(set.good, orders, false);
    // Every file is closed whatever happened to the others.
    bool ok = csv.finish();
    ok = jsonl.finish() && ok;
    ok = writeJson(prefix + QStringLiteral(".expected.json"), toJson(set.good, seed)) && ok;
    if (withBad) {
        summarise(set.bad, orders, true);
        ok = badCsv->finish() && ok;
        ok = badJsonl->finish() && ok;
        ok = writeJson(prefix + QStringLiteral("_bad.expected.json"), toJson(set.bad, seed)) && ok;
    }
    if (ok)
        set.prefix = prefix;
    return set;
}

} // namespace weir::test
