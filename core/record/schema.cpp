#include "record/schema.h"

namespace weir::record {

int Schema::indexOf(std::string_view name) const
{
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i] == name)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace weir::record
