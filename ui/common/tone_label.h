#pragma once

// ToneLabel: a QLabel whose text colour follows a role — muted help text or an error — and is
// recomputed when the palette changes, so switching between light and dark stays readable.
// GUI thread only.

#include <QLabel>

namespace weir::ui {

class ToneLabel final : public QLabel
{
    Q_OBJECT

public:
    enum class Tone
    {
        Muted,
        Error
    };

    explicit ToneLabel(Tone tone, QWidget *parent = nullptr);
    ToneLabel(const QString &text, Tone tone, QWidget *parent = nullptr);

    Tone tone() const { return m_tone; }
    void setTone(Tone tone);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTone();

    Tone m_tone;
};

} // namespace weir::ui
