#include "monitor/duration_text.h"

#include <QLocale>

namespace weir::ui {

QString durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000) // a short run read as "0.0 s" looked like no run at all
        return QLocale().toString(ms) + QStringLiteral(" ms");
    if (ms < 60000)
        return QLocale().toString(static_cast<double>(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace weir::ui
