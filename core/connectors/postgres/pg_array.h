#pragma once

// PostgreSQL arrays, as libpq returns them in text format ({1,2,NULL}, {"a b","c\"d"},
// {{1,2},{3,4}}, [0:1]={7,8}), rewritten as JSON text ([1,2,null], ["a b","c\"d"],
// [[1,2],[3,4]], [7,8]): what a target, a transform or a person can read without knowing
// PostgreSQL's quoting. Lower bounds other than 1 are dropped; the order stays.

#include <optional>
#include <string>
#include <string_view>

namespace weir::connectors::postgres {

// How an array's elements become JSON.
enum class ArrayElements
{
    Text,    // strings
    Number,  // numbers (NaN and infinities as strings: JSON has none)
    Boolean, // t and f as true and false
    Json,    // json and jsonb elements, kept as they are
};

// The element kind of a built-in array type (int4[], text[], jsonb[], …); nullopt when
// `typeOid` is not one.
std::optional<ArrayElements> arrayElementsOf(unsigned typeOid);

// `text` as JSON; nullopt when it is not an array in PostgreSQL's output format.
std::optional<std::string> pgArrayToJson(std::string_view text, ArrayElements elements);

// The way back, for a target column of an array type: a JSON array ([1,null,"a b"],
// [[1,2],[3,4]], [{"k":1}]) as PostgreSQL's array input ({1,NULL,"a b"}, {{1,2},{3,4}},
// {"{\"k\":1}"}); strings and objects quoted, null as NULL. Nullopt when `json` is not a JSON
// array.
std::optional<std::string> jsonToPgArray(std::string_view json);

} // namespace weir::connectors::postgres
