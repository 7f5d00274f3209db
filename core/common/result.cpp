#include "common/result.h"

namespace weir {

QString Error::describe() const
{
    if (nodeId.isEmpty())
        return message;
    return QStringLiteral("node '%1': %2").arg(nodeId, message);
}

} // namespace weir
