// BoundedQueue: backpressure by count and by bytes, one oversized item still passing, stop and
// close waking whoever waits. SpareEvents: spent events kept up to a bound.

#include "engine/bounded_queue.h"
#include "engine/spare_events.h"

#include <QElapsedTimer>
#include <QTest>
#include <thread>

using weir::engine::BoundedQueue;

class TestBoundedQueue : public QObject
{
    Q_OBJECT

private slots:
    void bytesBoundThePushes()
    {
        std::atomic<bool> stop{false};
        BoundedQueue<int> queue(100, 1, 1000);
        QVERIFY(queue.push(1, stop, 600));
        QCOMPARE(queue.bytes(), std::size_t(600));
        // 600 + 600 > 1000: the second push waits until the first item is taken.
        std::atomic<bool> pushed{false};
        std::thread producer([&] { pushed = queue.push(2, stop, 600); });
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 300)
            QVERIFY(!pushed.load());
        QCOMPARE(queue.size(), std::size_t(1));
        QCOMPARE(queue.pop(stop), std::optional<int>(1));
        producer.join();
        QVERIFY(pushed.load());
        QCOMPARE(queue.bytes(), std::size_t(600));
    }

    void anItemOverTheBudgetPassesAlone()
    {
        std::atomic<bool> stop{false};
        BoundedQueue<int> queue(4, 1, 1000);
        QVERIFY(queue.push(1, stop, 5000)); // an empty queue takes it, whatever its size
        QCOMPARE(queue.pop(stop), std::optional<int>(1));
        QCOMPARE(queue.bytes(), std::size_t(0));
    }

    void countStillBounds()
    {
        std::atomic<bool> stop{false};
        BoundedQueue<int> queue(2, 1);
        QVERIFY(queue.push(1, stop));
        QVERIFY(queue.push(2, stop));
        // Full by count: a stop request makes the third push give up instead of waiting.
        stop = true;
        QVERIFY(!queue.push(3, stop));
        QCOMPARE(queue.size(), std::size_t(2));
    }

    void closedWhenEveryProducerIsDone()
    {
        std::atomic<bool> stop{false};
        BoundedQueue<int> queue(2, 2);
        QVERIFY(queue.push(7, stop, 10));
        queue.producerDone();
        queue.producerDone();
        QCOMPARE(queue.pop(stop), std::optional<int>(7));
        QCOMPARE(queue.pop(stop), std::optional<int>());
    }
    void spareEventsAreBounded()
    {
        weir::engine::SpareEvents spare(2);
        QVERIFY(spare.take().empty());
        for (std::size_t n : {1, 2, 3})
            spare.give(std::vector<weir::record::ChangeEvent>(n));
        spare.give({}); // nothing to keep
        std::vector<std::size_t> sizes;
        for (int i = 0; i < 3; ++i)
            sizes.push_back(spare.take().size());
        QCOMPARE(sizes, (std::vector<std::size_t>{2, 1, 0})); // the third set was freed
    }
};

QTEST_GUILESS_MAIN(TestBoundedQueue)
#include "tst_bounded_queue.moc"
