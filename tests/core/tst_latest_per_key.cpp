#include "connectors/latest_per_key.h"
#include "support/sink_events.h"

#include <QTest>
#include <cmath>

using weir::connectors::latestPerKey;
using weir::record::Batch;
using weir::record::ChangeEvent;
using weir::record::Op;
using weir::record::Value;
using weir::record::ValueKind;
using weir::test::sinkBatch;
using weir::test::sinkEvent;
using Picked = std::optional<std::vector<std::size_t>>;

namespace {

constexpr int kId = 0;
constexpr int kStatus = 1;
constexpr int kUpdatedAt = 2;

// (id, status, updated_at) rows; `when` null: a null updated_at.
ChangeEvent row(std::int64_t id, const char *when, std::int64_t offset)
{
    ChangeEvent e = sinkEvent(Op::Update, id, "x", when ? when : "2024-01-01T00:00:00Z", offset);
    if (!when)
        e.after[kUpdatedAt] = Value();
    return e;
}

Picked byUpdatedAt(const Batch &batch)
{
    return latestPerKey(batch, 0, batch.size(), {kId}, kUpdatedAt);
}

Picked indices(std::vector<std::size_t> v)
{
    return v;
}

} // namespace

class TestLatestPerKey : public QObject
{
    Q_OBJECT

private slots:
    void newestVersionWinsInBatchOrder()
    {
        const Batch batch = sinkBatch(
            {row(1, "2024-01-01T00:00:01Z", 0), row(2, "2024-01-01T00:00:01Z", 1),
             row(1, "2024-01-01T00:00:03Z", 2), row(1, "2024-01-01T00:00:02Z", 3)}, // late, older
            4);
        QCOMPARE(byUpdatedAt(batch), indices({1, 2}));
    }

    void aTieGoesToTheLaterEvent()
    {
        const Batch batch =
            sinkBatch({row(7, "2024-01-01T00:00:05Z", 0), row(7, "2024-01-01T00:00:05Z", 1)}, 2);
        QCOMPARE(byUpdatedAt(batch), indices({1}));
    }

    void aNullOrderLosesToAnyValue()
    {
        const Batch nullLast =
            sinkBatch({row(1, "2024-01-01T00:00:05Z", 0), row(1, nullptr, 1)}, 2);
        QCOMPARE(byUpdatedAt(nullLast), indices({0}));
        const Batch nullFirst =
            sinkBatch({row(1, nullptr, 0), row(1, "2024-01-01T00:00:05Z", 1)}, 2);
        QCOMPARE(byUpdatedAt(nullFirst), indices({1}));
        const Batch bothNull = sinkBatch({row(1, nullptr, 0), row(1, nullptr, 1)}, 2);
        QCOMPARE(byUpdatedAt(bothNull), indices({1}));
    }

    void withoutAnOrderTheLastEventWins()
    {
        const Batch batch =
            sinkBatch({row(1, "2024-01-01T00:00:09Z", 0), row(2, "2024-01-01T00:00:01Z", 1),
                       row(1, "2024-01-01T00:00:01Z", 2)},
                      3);
        QCOMPARE(latestPerKey(batch, 0, batch.size(), {kId}, -1), indices({1, 2}));
    }

    void keysOfSeveralColumns()
    {
        Batch batch =
            sinkBatch({row(1, "2024-01-01T00:00:02Z", 0), row(1, "2024-01-01T00:00:01Z", 1),
                       row(1, "2024-01-01T00:00:01Z", 2)},
                      3);
        batch.events[1].after[kStatus] = Value::fromString("other");
        // (1, x) twice, (1, other) once.
        QCOMPARE(latestPerKey(batch, 0, batch.size(), {kId, kStatus}, kUpdatedAt), indices({0, 1}));
        // A missing value is a null key part, not another row's.
        batch.events[2].after.resize(1);
        QCOMPARE(latestPerKey(batch, 0, batch.size(), {kId, kStatus}, kUpdatedAt),
                 indices({0, 1, 2}));
    }

    void onlyOrderValuesOfTheTargetsKind()
    {
        // The target's column is a timestamp: timestamps are compared here, anything else is
        // left to SQL (which would compare it converted).
        const Batch batch =
            sinkBatch({row(1, "2024-01-01T00:00:02Z", 0), row(1, "2024-01-01T00:00:01Z", 1)}, 2);
        QCOMPARE(latestPerKey(batch, 0, 2, {kId}, kUpdatedAt, ValueKind::Timestamp), indices({0}));
        QCOMPARE(latestPerKey(batch, 0, 2, {kId}, kUpdatedAt, ValueKind::Int), Picked());
        const Batch nulls = sinkBatch({row(1, nullptr, 0), row(1, nullptr, 1)}, 2);
        QCOMPARE(latestPerKey(nulls, 0, 2, {kId}, kUpdatedAt, ValueKind::Int), indices({1}));
    }

    void onlyTheRangeIsLookedAt()
    {
        const Batch batch =
            sinkBatch({row(1, "2024-01-01T00:00:09Z", 0), row(1, "2024-01-01T00:00:01Z", 1),
                       row(1, "2024-01-01T00:00:02Z", 2)},
                      3);
        QCOMPARE(latestPerKey(batch, 1, 3, {kId}, kUpdatedAt), indices({2}));
    }

    void leavesToSqlWhatItCannotDecideAlike()
    {
        // A delete: SQL applies it.
        const Batch withDelete =
            sinkBatch({row(1, "2024-01-01T00:00:01Z", 0),
                       sinkEvent(Op::Delete, 1, "x", "2024-01-01T00:00:02Z", 1)},
                      2);
        QCOMPARE(byUpdatedAt(withDelete), Picked());

        // Text orders by the database's collation; equal text is a tie all the same.
        Batch text =
            sinkBatch({row(1, "2024-01-01T00:00:01Z", 0), row(1, "2024-01-01T00:00:01Z", 1)}, 2);
        for (ChangeEvent &e : text.events)
            e.after[kUpdatedAt] = Value::fromString("B");
        QCOMPARE(byUpdatedAt(text), indices({1}));
        text.events[1].after[kUpdatedAt] = Value::fromString("a");
        QCOMPARE(byUpdatedAt(text), Picked());

        // Decimals of different text, and two kinds in one column.
        Batch decimals = text;
        decimals.events[0].after[kUpdatedAt] = Value::fromDecimalText("1.0");
        decimals.events[1].after[kUpdatedAt] = Value::fromDecimalText("1.00");
        QCOMPARE(byUpdatedAt(decimals), Picked());
        Batch mixed = text;
        mixed.events[0].after[kUpdatedAt] = Value::fromInt(1);
        mixed.events[1].after[kUpdatedAt] = Value::fromDouble(2.0);
        QCOMPARE(byUpdatedAt(mixed), Picked());

        // Numbers compare as numbers, NaN does not compare.
        Batch doubles = mixed;
        doubles.events[0].after[kUpdatedAt] = Value::fromDouble(10.0);
        QCOMPARE(byUpdatedAt(doubles), indices({0}));
        doubles.events[1].after[kUpdatedAt] = Value::fromDouble(std::nan(""));
        QCOMPARE(byUpdatedAt(doubles), Picked());
        // Keys of different rows never collide, whatever order their values sort in.
        QCOMPARE(latestPerKey(doubles, 0, 2, {kUpdatedAt}, -1), indices({0, 1}));
    }
};

QTEST_GUILESS_MAIN(TestLatestPerKey)
#include "tst_latest_per_key.moc"
