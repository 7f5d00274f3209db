#pragma once

// Last write wins inside one batch, decided before the rows reach the database.
//
// An upsert sink may not hand the server two versions of one key in one statement
// (INSERT … ON CONFLICT refuses to touch a row twice), so it either lets SQL pick one per key
// (DISTINCT ON … ORDER BY, a sort per batch) or sends only the winners. latestPerKey picks
// them on the client, by the same rule the SQL uses, and says so when it cannot be sure of
// giving the same answer: then the caller keeps the SQL way.

#include "record/batch.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace weir::connectors {

// The events of [from, to) that win "last write wins" per key, in batch order: for each key
// (the values of `keyColumns`) the event with the greatest `orderColumn` value, the later one
// on a tie; with `orderColumn` < 0 simply the last one. A null order value loses to any other
// (DESC NULLS LAST). Nullopt when the range holds a delete or two order values whose SQL
// order it cannot know (text, whose order is the database's collation; decimals; mixed kinds),
// or, with `orderKind`, an order value of another kind (the column SQL compares in has that
// type: values of another kind would be compared after a conversion).
std::optional<std::vector<std::size_t>>
latestPerKey(const record::Batch &batch, std::size_t from, std::size_t to,
             const std::vector<int> &keyColumns, int orderColumn,
             std::optional<record::ValueKind> orderKind = std::nullopt);

} // namespace weir::connectors
