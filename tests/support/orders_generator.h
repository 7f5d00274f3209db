#pragma once

// A deterministic generator of the "orders" test data set, inside the repository so that no
// test depends on files beside it. Plain functions; call them from any thread.
//
// Data model: rows of order_id,customer_id,amount,status,updated_at. About 5% of the rows
// update an earlier order (same order_id and customer, new amount and status) with a later
// updated_at, so last write wins. amount is decimal text with two fraction digits; updated_at
// is ISO-8601 UTC with milliseconds and strictly increases over the rows. The _bad variant
// replaces a fraction of the rows by malformed ones (drawn from a separate random stream, so
// the good files never depend on that fraction). Same rows and seed: byte-identical files.

#include <QString>
#include <cstdint>
#include <map>

namespace weir::test {

// What a correct loader ends with, computed while the rows are written.
struct OrdersExpected
{
    qint64 rows = 0;        // data lines in the file
    qint64 validRows = 0;   // what an append load keeps
    qint64 distinctIds = 0; // what an upsert load keeps (orders with at least one valid row)
    qint64 dupRows = 0;     // rows that update an earlier order
    qint64 badRows = 0;
    QString finalAmountSum; // sum of amount after last write wins, "1234.56"
    std::map<QString, qint64> finalStatusCounts;
    // bad_number (amount or order_id not a number, or an empty amount), missing_column (the
    // last field left out), bad_timestamp (an impossible date and time).
    std::map<QString, qint64> badKinds;
};

struct OrdersDataSet
{
    QString prefix;      // DIR/orders_N: .csv, .jsonl, .expected.json
    OrdersExpected good; // prefix + ".*"
    OrdersExpected bad;  // prefix + "_bad.*", written when badFraction > 0
    std::uint64_t seed = 0;
};

constexpr std::uint64_t defaultOrdersSeed = 42;

// Writes orders_N.{csv,jsonl,expected.json} into `dir` and, when badFraction > 0, the
// orders_N_bad.* variant. Returns the figures with an empty prefix when a file cannot be
// written (and warns).
OrdersDataSet writeOrders(const QString &dir, int rows, double badFraction,
                          std::uint64_t seed = defaultOrdersSeed);

} // namespace weir::test
