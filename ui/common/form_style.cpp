#include "common/form_style.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QEvent>
#include <QObject>
#include <QWidget>

namespace weir::ui {

namespace {

class WheelGuard final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Wheel)
            return QObject::eventFilter(watched, event);
        auto *widget = qobject_cast<QWidget *>(watched);
        // A scroll area's wheel arrives at its viewport; the area is what holds the focus.
        if (widget && widget->objectName() == QLatin1String("qt_scrollarea_viewport"))
            widget = widget->parentWidget();
        if (!widget || widget->hasFocus())
            return QObject::eventFilter(watched, event);
        // Ignored, the event goes on to the parents: the form scrolls.
        event->ignore();
        return true;
    }
};

} // namespace

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor errorColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xc4, 0x2b, 0x1c);
}

QColor mutedColor(const QPalette &palette)
{
    return palette.color(QPalette::PlaceholderText);
}

QFont smallFont(const QFont &font)
{
    QFont f = font;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * 0.88);
    else
        f.setPixelSize(qMax(9, f.pixelSize() * 7 / 8));
    return f;
}

void ignoreWheelUnlessFocused(QWidget *widget)
{
    static auto *guard = new WheelGuard(qApp);
    widget->setFocusPolicy(Qt::StrongFocus);
    widget->installEventFilter(guard);
    if (auto *area = qobject_cast<QAbstractScrollArea *>(widget))
        area->viewport()->installEventFilter(guard);
}

} // namespace weir::ui
