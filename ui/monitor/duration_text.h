#pragma once

// A run's duration as the monitor writes it: "0.4 s" under a minute, "1:02:05" beyond.

#include <QString>

namespace weir::ui {

// "850 ms", "12.3 s", then "1:02:03"; empty for a negative duration (a clock that went back).
QString durationText(qint64 ms);

} // namespace weir::ui
