// Where a sink writes a batch and by which key (connectors/table_routing.h): {table} and
// {schema} patterns, one upstream table per target, and the key a sink without `key` takes
// from its records' upstream table.

#include "connectors/table_routing.h"

#include <QTest>

using namespace weir;

namespace {

record::Batch batchOf(const std::string &table, std::vector<std::string> key)
{
    record::Batch b;
    b.schema = record::makeSchema({"person_id", "day", "note"});
    b.events.emplace_back();
    b.table = table;
    b.key = std::move(key);
    return b;
}

} // namespace

class TestTableRouting : public QObject
{
    Q_OBJECT

private slots:
    void patternsNameEachUpstreamTable()
    {
        connectors::TableRouter router("raw_{schema}_{table}");
        QCOMPARE(router.route(batchOf("club.visits", {})).value(), std::string("raw_club_visits"));
        QCOMPARE(router.route(batchOf("club.people", {})).value(), std::string("raw_club_people"));
        auto none = router.route(batchOf("", {}));
        QVERIFY(!none);
        // A plain name takes one upstream table.
        connectors::TableRouter plain("target");
        QVERIFY(plain.route(batchOf("club.visits", {})));
        QVERIFY(!plain.route(batchOf("club.people", {})));
    }

    void keyFromTheSinkOrTheUpstreamTable()
    {
        const record::Batch visits = batchOf("club.visits", {"person_id", "day"});
        // The sink's own key wins; append needs none.
        QCOMPARE(connectors::upsertKey({"note"}, visits, true).value(),
                 (std::vector<std::string>{"note"}));
        QVERIFY(connectors::upsertKey({}, batchOf("club.visits", {}), false).value().empty());
        QCOMPARE(connectors::upsertKey({}, visits, true).value(),
                 (std::vector<std::string>{"person_id", "day"}));
        // None anywhere, or one a step before dropped: said so.
        auto none = connectors::upsertKey({}, batchOf("club.visits", {}), true);
        QVERIFY(!none);
        QCOMPARE(none.error().message,
                 QStringLiteral("upsert needs key columns: set key, as table club.visits has no "
                                "key of its own (a primary key or replica identity)"));
        auto dropped = connectors::upsertKey({}, batchOf("club.visits", {"visit_id"}), true);
        QVERIFY(!dropped);
        QCOMPARE(dropped.error().message,
                 QStringLiteral("upsert needs key columns: the key of table club.visits has "
                                "column 'visit_id', which a step before dropped or renamed; set "
                                "key"));
    }
};

QTEST_GUILESS_MAIN(TestTableRouting)
#include "tst_table_routing.moc"
