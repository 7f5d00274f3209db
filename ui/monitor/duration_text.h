#pragma once

// A run's duration as the monitor writes it: "0.4 s" under a minute, "1:02:05" beyond.

#include <QString>

namespace weir::ui {

// Empty for a negative duration (a clock that went back).
QString durationText(qint64 ms);

} // namespace weir::ui
