#pragma once

// AlertBanner: a strip above the canvas listing the alerts that are active right now (lag or
// error rate over the pipeline's thresholds). Hidden when none is; the user can dismiss it,
// and it comes back with the next alert.

#include "engine/alert_monitor.h"

#include <QFrame>
#include <map>

class QLabel;

namespace weir::ui {

class AlertBanner final : public QFrame
{
    Q_OBJECT

public:
    explicit AlertBanner(QWidget *parent = nullptr);

    void apply(const engine::AlertEvent &event);
    void clearAll();
    QString text() const;
    int activeCount() const { return static_cast<int>(m_active.size()); }

private:
    void refresh();

    std::map<QString, engine::AlertEvent> m_active; // by key
    QLabel *m_label = nullptr;
};

} // namespace weir::ui
