#include "model/alert_rules.h"

#include <QStringList>
#include <cmath>

namespace weir::model {
namespace {

const QString kAlerts = QStringLiteral("alerts");
const QString kLag = QStringLiteral("lag_seconds");
const QString kLagFor = QStringLiteral("lag_for_seconds");
const QString kErrorRate = QStringLiteral("error_rate_percent");
const QString kErrorRateFor = QStringLiteral("error_rate_for_seconds");
const QString kBehind = QStringLiteral("records_behind");
const QString kBehindFor = QStringLiteral("records_behind_for_seconds");

Error fieldError(const QString &key, const QString &what)
{
    return makeError(ErrorCode::Invalid, QStringLiteral("settings.alerts.%1: %2").arg(key, what));
}

// Reads a non-negative number no larger than `max`; absent leaves `out` as it is.
Status readNumber(const QJsonObject &alerts, const QString &key, double max, double &out)
{
    const QJsonValue v = alerts.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return fieldError(key, QStringLiteral("must be a number"));
    if (v.toDouble() < 0.0 || v.toDouble() > max)
        return fieldError(key, QStringLiteral("must be between 0 and %1").arg(max));
    out = v.toDouble();
    return {};
}

} // namespace

Result<AlertRules> AlertRules::fromSettings(const QJsonObject &settings)
{
    AlertRules rules;
    const QJsonValue value = settings.value(kAlerts);
    if (value.isUndefined() || value.isNull())
        return rules;
    if (!value.isObject())
        return makeError(ErrorCode::Invalid, QStringLiteral("settings.alerts: must be an object"));
    const QJsonObject alerts = value.toObject();
    const QStringList known{kLag, kLagFor, kErrorRate, kErrorRateFor, kBehind, kBehindFor};
    for (auto it = alerts.begin(); it != alerts.end(); ++it)
        if (!known.contains(it.key()))
            return fieldError(it.key(), QStringLiteral("unknown setting; expected one of %1")
                                            .arg(known.join(QStringLiteral(", "))));
    constexpr double kDay = 86400.0;
    if (Status s = readNumber(alerts, kLag, kDay, rules.lagSeconds); !s)
        return s.error();
    if (Status s = readNumber(alerts, kLagFor, kDay, rules.lagForSeconds); !s)
        return s.error();
    if (Status s = readNumber(alerts, kErrorRate, 100.0, rules.errorRatePercent); !s)
        return s.error();
    if (Status s = readNumber(alerts, kErrorRateFor, kDay, rules.errorRateForSeconds); !s)
        return s.error();
    if (Status s = readNumber(alerts, kBehind, 1e12, rules.recordsBehind); !s)
        return s.error();
    if (Status s = readNumber(alerts, kBehindFor, kDay, rules.recordsBehindForSeconds); !s)
        return s.error();
    return rules;
}

QJsonObject AlertRules::withRules(QJsonObject settings, const AlertRules &rules)
{
    if (!rules.any()) {
        settings.remove(kAlerts);
        return settings;
    }
    QJsonObject alerts;
    if (rules.lagSeconds > 0.0) {
        alerts.insert(kLag, rules.lagSeconds);
        alerts.insert(kLagFor, rules.lagForSeconds);
    }
    if (rules.errorRatePercent > 0.0) {
        alerts.insert(kErrorRate, rules.errorRatePercent);
        alerts.insert(kErrorRateFor, rules.errorRateForSeconds);
    }
    if (rules.recordsBehind > 0.0) {
        alerts.insert(kBehind, rules.recordsBehind);
        alerts.insert(kBehindFor, rules.recordsBehindForSeconds);
    }
    settings.insert(kAlerts, alerts);
    return settings;
}

} // namespace weir::model
