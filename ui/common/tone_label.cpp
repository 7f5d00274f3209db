#include "common/tone_label.h"

#include "common/form_style.h"

#include <QEvent>

namespace weir::ui {

ToneLabel::ToneLabel(Tone tone, QWidget *parent) : ToneLabel(QString(), tone, parent)
{
}

ToneLabel::ToneLabel(const QString &text, Tone tone, QWidget *parent)
    : QLabel(text, parent), m_tone(tone)
{
    applyTone();
}

void ToneLabel::setTone(Tone tone)
{
    if (m_tone == tone)
        return;
    m_tone = tone;
    applyTone();
}

void ToneLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    // Setting the same colour again is a no-op for QWidget::setPalette, so this settles.
    if (event->type() == QEvent::PaletteChange)
        applyTone();
}

void ToneLabel::applyTone()
{
    QPalette p = palette();
    const QColor color = m_tone == Tone::Error ? errorColor(p) : mutedColor(p);
    p.setColor(QPalette::WindowText, color);
    p.setColor(QPalette::Text, color);
    setPalette(p);
}

} // namespace weir::ui
