#include "monitor/alert_rules_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>

namespace weir::ui {
namespace {

QDoubleSpinBox *spin(double max, const QString &suffix, int decimals, QWidget *parent)
{
    auto *s = new QDoubleSpinBox(parent);
    s->setRange(0, max);
    s->setDecimals(decimals);
    s->setSuffix(suffix);
    s->setMinimumWidth(120);
    return s;
}

} // namespace

AlertRulesDialog::AlertRulesDialog(const model::AlertRules &rules, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Alert thresholds"));
    setMinimumWidth(400);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("An alert shows as a banner above the canvas and a desktop "
                                "notification, and is written to the event log. They are kept "
                                "in the pipeline file and apply to weir-run too."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    constexpr double kDay = 86400.0;
    m_lag = new QGroupBox(tr("Lag"), this);
    m_lag->setCheckable(true);
    m_lag->setToolTip(tr("Event-time lag of any node: now minus the newest event time it read"));
    m_lagSeconds = spin(kDay, tr(" s"), 1, m_lag);
    m_lagFor = spin(kDay, tr(" s"), 0, m_lag);
    // The two forms share one label width, so their fields line up.
    const QStringList labels{tr("Over"), tr("For at least"), tr("Over"),
                             tr("Measured over the last")};
    int labelWidth = 0;
    for (const QString &l : labels)
        labelWidth = std::max(labelWidth, fontMetrics().horizontalAdvance(l) + 8);
    const auto label = [&](const QString &text, QWidget *box) {
        auto *l = new QLabel(text, box);
        l->setMinimumWidth(labelWidth);
        return l;
    };
    auto *lagForm = new QFormLayout(m_lag);
    lagForm->addRow(label(labels[0], m_lag), m_lagSeconds);
    lagForm->addRow(label(labels[1], m_lag), m_lagFor);
    layout->addWidget(m_lag);

    m_errorRate = new QGroupBox(tr("Error rate"), this);
    m_errorRate->setCheckable(true);
    m_errorRate->setToolTip(tr("Errors per record read by the sources"));
    m_errorPercent = spin(100.0, tr(" %"), 2, m_errorRate);
    m_errorFor = spin(kDay, tr(" s"), 0, m_errorRate);
    auto *errorForm = new QFormLayout(m_errorRate);
    errorForm->addRow(label(labels[2], m_errorRate), m_errorPercent);
    errorForm->addRow(label(labels[3], m_errorRate), m_errorFor);
    layout->addWidget(m_errorRate);

    m_behind = new QGroupBox(tr("Records behind"), this);
    m_behind->setCheckable(true);
    m_behind->setToolTip(tr("Messages a source has not read yet (a Kafka consumer's lag)"));
    m_behindRecords = spin(1e12, tr(" records"), 0, m_behind);
    m_behindFor = spin(kDay, tr(" s"), 0, m_behind);
    auto *behindForm = new QFormLayout(m_behind);
    behindForm->addRow(label(labels[0], m_behind), m_behindRecords);
    behindForm->addRow(label(labels[1], m_behind), m_behindFor);
    layout->addWidget(m_behind);

    // Off alerts start from sensible values, so ticking the box is enough.
    m_lag->setChecked(rules.lagSeconds > 0);
    m_lagSeconds->setValue(rules.lagSeconds > 0 ? rules.lagSeconds : 30.0);
    m_lagFor->setValue(rules.lagForSeconds);
    m_errorRate->setChecked(rules.errorRatePercent > 0);
    m_errorPercent->setValue(rules.errorRatePercent > 0 ? rules.errorRatePercent : 5.0);
    m_errorFor->setValue(rules.errorRateForSeconds);
    m_behind->setChecked(rules.recordsBehind > 0);
    m_behindRecords->setValue(rules.recordsBehind > 0 ? rules.recordsBehind : 100000.0);
    m_behindFor->setValue(rules.recordsBehindForSeconds);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

model::AlertRules AlertRulesDialog::rules() const
{
    model::AlertRules r;
    if (m_lag->isChecked() && m_lagSeconds->value() > 0) {
        r.lagSeconds = m_lagSeconds->value();
        r.lagForSeconds = m_lagFor->value();
    }
    if (m_errorRate->isChecked() && m_errorPercent->value() > 0) {
        r.errorRatePercent = m_errorPercent->value();
        r.errorRateForSeconds = m_errorFor->value();
    }
    if (m_behind->isChecked() && m_behindRecords->value() > 0) {
        r.recordsBehind = m_behindRecords->value();
        r.recordsBehindForSeconds = m_behindFor->value();
    }
    return r;
}

} // namespace weir::ui
