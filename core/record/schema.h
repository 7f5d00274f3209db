#pragma once

// Schema: the ordered column names shared by every event of a Batch.
// Immutable once built and shared between threads through SchemaPtr.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir::record {

class Schema final
{
public:
    explicit Schema(std::vector<std::string> columns) : m_columns(std::move(columns)) {}

    const std::vector<std::string> &columns() const { return m_columns; }
    std::size_t size() const { return m_columns.size(); }
    // Index of the column, or -1 when absent.
    int indexOf(std::string_view name) const;

private:
    std::vector<std::string> m_columns;
};

using SchemaPtr = std::shared_ptr<const Schema>;

inline SchemaPtr makeSchema(std::vector<std::string> columns)
{
    return std::make_shared<const Schema>(std::move(columns));
}

} // namespace weir::record
