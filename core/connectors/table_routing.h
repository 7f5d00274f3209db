#pragma once

// Which target table a sink writes a batch into, and by which key.
//
// A change data capture of several tables sends one stream whose batches each hold the rows
// of one upstream table (Batch::table, "schema.table"). A sink's `table` setting may name
// them: "{table}" stands for the upstream table's name and "{schema}" for its schema, so
// "raw_{table}" puts public.orders into raw_orders and public.customers into raw_customers.
// Rows of two upstream tables never go into one target: a plain name takes one upstream table,
// and so does every name a pattern makes (compared as the database compares names).

#include "common/result.h"
#include "record/batch.h"

#include <map>
#include <string>
#include <vector>

namespace weir::connectors {

class TableRouter
{
public:
    explicit TableRouter(std::string pattern);

    // The target table of the batch's rows. An error when the setting names the upstream
    // table and the batch comes from none, or when the target would get the rows of a second
    // upstream table.
    Result<std::string> route(const record::Batch &batch);

private:
    // The pattern with {table} and {schema} filled from "schema.table".
    std::string fill(const std::string &upstream) const;

    std::string m_pattern;
    bool m_templated = false;
    std::map<std::string, std::string> m_upstreamOf; // target (as compared) → upstream table
};

// The key columns a sink upserts the batch by: its own `key` setting, else the ones the
// records carry (Batch::key, an upstream table's key). An error when upserting by none.
Result<std::vector<std::string>> upsertKey(const std::vector<std::string> &configured,
                                           const record::Batch &batch, bool upsert);

} // namespace weir::connectors
