#include "common/node_style.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <array>

namespace weir::ui {

namespace {

constexpr int kIconSize = 64;

void drawCylinder(QPainter &p, const QColor &c)
{
    const QRectF body(12, 14, 40, 38);
    p.setBrush(c.lighter(150));
    p.drawRect(body.adjusted(0, 5, 0, -5));
    p.drawEllipse(QRectF(body.left(), body.bottom() - 10, body.width(), 10));
    p.setPen(Qt::NoPen);
    p.drawRect(body.adjusted(1, 5, -1, -6));
    p.setPen(QPen(c.darker(130), 3));
    p.drawLine(body.topLeft() + QPointF(0, 5), body.bottomLeft() - QPointF(0, 5));
    p.drawLine(body.topRight() + QPointF(0, 5), body.bottomRight() - QPointF(0, 5));
    p.drawArc(QRectF(body.left(), body.bottom() - 10, body.width(), 10), 180 * 16, 180 * 16);
    p.setBrush(c);
    p.drawEllipse(QRectF(body.left(), body.top(), body.width(), 10));
}

void drawFunnel(QPainter &p, const QColor &c)
{
    QPainterPath path;
    path.moveTo(10, 14);
    path.lineTo(54, 14);
    path.lineTo(37, 34);
    path.lineTo(37, 50);
    path.lineTo(27, 56);
    path.lineTo(27, 34);
    path.closeSubpath();
    p.setBrush(c.lighter(140));
    p.drawPath(path);
}

void drawTray(QPainter &p, const QColor &c)
{
    p.setBrush(c.lighter(150));
    QPainterPath tray;
    tray.moveTo(8, 36);
    tray.lineTo(20, 36);
    tray.lineTo(24, 44);
    tray.lineTo(40, 44);
    tray.lineTo(44, 36);
    tray.lineTo(56, 36);
    tray.lineTo(56, 54);
    tray.lineTo(8, 54);
    tray.closeSubpath();
    p.drawPath(tray);
    QPainterPath arrow;
    arrow.moveTo(28, 8);
    arrow.lineTo(36, 8);
    arrow.lineTo(36, 22);
    arrow.lineTo(43, 22);
    arrow.lineTo(32, 34);
    arrow.lineTo(21, 22);
    arrow.lineTo(28, 22);
    arrow.closeSubpath();
    p.setBrush(c);
    p.drawPath(arrow);
}

QIcon paintIcon(model::NodeCategory category)
{
    QPixmap pixmap(kIconSize, kIconSize);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor c = categoryColor(category);
    p.setPen(QPen(c.darker(130), 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    switch (category) {
    case model::NodeCategory::Source:
        drawCylinder(p, c);
        break;
    case model::NodeCategory::Transform:
        drawFunnel(p, c);
        break;
    case model::NodeCategory::Sink:
        drawTray(p, c);
        break;
    }
    p.end();
    return QIcon(pixmap);
}

} // namespace

QColor categoryColor(model::NodeCategory category)
{
    switch (category) {
    case model::NodeCategory::Source:
        return {0x2b, 0x83, 0xc6}; // blue
    case model::NodeCategory::Transform:
        return {0x8a, 0x5c, 0xc2}; // violet
    case model::NodeCategory::Sink:
        return {0x2e, 0x9e, 0x6b}; // green
    }
    return Qt::gray;
}

QIcon categoryIcon(model::NodeCategory category)
{
    static std::array<QIcon, 3> cache;
    QIcon &icon = cache.at(static_cast<std::size_t>(category));
    if (icon.isNull())
        icon = paintIcon(category);
    return icon;
}

QString categoryTitle(model::NodeCategory category)
{
    switch (category) {
    case model::NodeCategory::Source:
        return QCoreApplication::translate("weir::ui", "Sources");
    case model::NodeCategory::Transform:
        return QCoreApplication::translate("weir::ui", "Transforms");
    case model::NodeCategory::Sink:
        return QCoreApplication::translate("weir::ui", "Targets");
    }
    return {};
}

} // namespace weir::ui
