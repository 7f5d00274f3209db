#pragma once

// Where postgres.cdc is in a slot's change stream, as committed with the data in the target.
//
// PostgreSQL sends each transaction whole, at its commit, in commit order, so a change is
// named by its transaction's commit LSN and its index in that transaction. A position says how
// far a transaction has been handed out: `index` changes of the transaction at `lsn`, and when
// it is complete, `endLsn`, the end of its commit record: the point the slot may confirm, as
// everything before it is in the target. The initial snapshot's rows come first, at the slot's
// consistent point, counted by `index`; its completion is a complete pseudo-transaction there.
// The rows of tables that join later are snapshot rows too, at the point in the stream where
// they are handed out; from the first of them until the join is complete, positions carry
// `joinFrom`, that first snapshot's point.
//
// SourcePosition: offset = lsn; cursor = {"i":N} or {"i":N,"end":"X/Y"}, and {"snapshot":N}
// for snapshot rows ("join_from":"X/Y" added during a join), each with "tables": the tables
// captured, so that a table put into the node later is known for one the slot streamed without.

#include "record/batch.h"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace weir::connectors::postgres {

struct CdcPosition
{
    std::uint64_t lsn = 0;
    bool snapshot = false;    // a snapshot row (lsn = the snapshot's consistent point)
    std::int64_t index = 0;   // changes (snapshot rows) of this transaction handed out
    std::uint64_t endLsn = 0; // non-zero once the transaction is complete
    // The tables captured ("schema.table", sorted, one per line); empty when not recorded
    // (positions of an older Weir). Not part of the order.
    std::string tables = {};
    // Non-zero while tables join after changes were streamed: the point of their first join
    // snapshot, since which a run stopped before the join is complete streams their changes
    // (it resumes the stream, not a first snapshot). Not part of the order.
    std::uint64_t joinFrom = 0;

    bool complete() const { return endLsn != 0; }

    record::SourcePosition toSource(const std::string &node, const std::string &stream) const;
    static std::optional<CdcPosition> fromSource(const record::SourcePosition &position);

    // Order in the stream: by LSN, snapshot rows before changes at the same LSN, then by index,
    // a complete transaction after all its changes.
    friend std::strong_ordering operator<=>(const CdcPosition &a, const CdcPosition &b);
    friend bool operator==(const CdcPosition &a, const CdcPosition &b)
    {
        return std::is_eq(a <=> b);
    }

    // After a restart from this position: is the `index`-th change (0-based) of the
    // transaction that commits at `commitLsn` already in the target?
    bool covers(std::uint64_t commitLsn, std::int64_t changeIndex) const;
};

} // namespace weir::connectors::postgres
