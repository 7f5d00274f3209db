#pragma once

// AlertRulesDialog: edits a pipeline's alert thresholds (settings.alerts): lag over N seconds
// for M seconds, error rate over N % over the last M seconds, records behind (a Kafka
// consumer's lag) over N for M seconds. Each alert can be switched off.

#include "model/alert_rules.h"

#include <QDialog>

class QDoubleSpinBox;
class QGroupBox;

namespace weir::ui {

class AlertRulesDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit AlertRulesDialog(const model::AlertRules &rules, QWidget *parent = nullptr);

    model::AlertRules rules() const;

    // For tests and callers that fill the form.
    QGroupBox *lagBox() const { return m_lag; }
    QGroupBox *errorRateBox() const { return m_errorRate; }
    QDoubleSpinBox *lagSeconds() const { return m_lagSeconds; }
    QDoubleSpinBox *lagForSeconds() const { return m_lagFor; }
    QDoubleSpinBox *errorRatePercent() const { return m_errorPercent; }
    QDoubleSpinBox *errorRateForSeconds() const { return m_errorFor; }
    QGroupBox *behindBox() const { return m_behind; }
    QDoubleSpinBox *recordsBehind() const { return m_behindRecords; }
    QDoubleSpinBox *behindForSeconds() const { return m_behindFor; }

private:
    QGroupBox *m_lag = nullptr;
    QGroupBox *m_errorRate = nullptr;
    QDoubleSpinBox *m_lagSeconds = nullptr;
    QDoubleSpinBox *m_lagFor = nullptr;
    QDoubleSpinBox *m_errorPercent = nullptr;
    QDoubleSpinBox *m_errorFor = nullptr;
    QGroupBox *m_behind = nullptr;
    QDoubleSpinBox *m_behindRecords = nullptr;
    QDoubleSpinBox *m_behindFor = nullptr;
};

} // namespace weir::ui
