#include "monitor/alert_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace weir::ui {

AlertBanner::AlertBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("alertBanner"));
    setStyleSheet(QStringLiteral("#alertBanner { background: #fbe3d6; border-bottom: 1px solid "
                                 "#d95d1e; } #alertBanner QLabel { color: #6b2300; }"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Hide until the next alert"));
    layout->addWidget(icon);
    layout->addWidget(m_label, 1);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void AlertBanner::apply(const engine::AlertEvent &event)
{
    if (event.active)
        m_active[event.key] = event;
    else
        m_active.erase(event.key);
    refresh();
    // A clearing leaves a dismissed banner hidden; only a new alert brings it back.
    if (m_active.empty())
        hide();
    else if (event.active)
        show();
}

void AlertBanner::clearAll()
{
    m_active.clear();
    refresh();
    hide();
}

QString AlertBanner::text() const
{
    return m_label->text();
}

void AlertBanner::refresh()
{
    QStringList lines;
    for (const auto &[key, e] : m_active)
        lines << e.message;
    m_label->setText(lines.isEmpty() ? QString()
                                     : tr("Alert: %1").arg(lines.join(QStringLiteral("; "))));
}

} // namespace weir::ui
