#pragma once

// AlertRules: a pipeline's alert thresholds, from "settings": {"alerts": {…}} in its file:
//   lag_seconds, lag_for_seconds               event-time lag of any node over the threshold
//   error_rate_percent, error_rate_for_seconds errors per record read over the threshold
//   records_behind, records_behind_for_seconds messages a source has not read yet (a Kafka
//                                              consumer's lag) over the threshold
// An alert fires once its condition has held for the "for" time and clears when it recovers.
// A threshold left out (or 0) switches that alert off.

#include "common/result.h"

#include <QJsonObject>

namespace weir::model {

struct AlertRules
{
    double lagSeconds = 0.0; // 0: off
    double lagForSeconds = 60.0;
    double errorRatePercent = 0.0; // 0: off
    double errorRateForSeconds = 60.0;
    double recordsBehind = 0.0; // 0: off
    double recordsBehindForSeconds = 60.0;

    bool any() const { return lagSeconds > 0.0 || errorRatePercent > 0.0 || recordsBehind > 0.0; }
    // The error names the field, e.g. settings.alerts.lag_seconds.
    static Result<AlertRules> fromSettings(const QJsonObject &settings);
    // Writes the rules back into a settings object (the alerts key removed when none is on).
    static QJsonObject withRules(QJsonObject settings, const AlertRules &rules);
};

} // namespace weir::model
