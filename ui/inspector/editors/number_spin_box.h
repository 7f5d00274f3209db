#pragma once

// NumberSpinBox: a spin box for an optional number — whole or real, bounded or not, and empty
// when unset (QSpinBox always holds a value). Typing that leaves the range or stops half-way
// ("-", "1e") is allowed while typing and settled when editing ends. GUI thread only.

#include <QAbstractSpinBox>
#include <optional>

namespace weir::ui {

class NumberSpinBox final : public QAbstractSpinBox
{
    Q_OBJECT

public:
    NumberSpinBox(bool integer, std::optional<double> minimum, std::optional<double> maximum,
                  QWidget *parent = nullptr);

    // The number shown; nullopt when the text is empty or not a number within range yet.
    std::optional<double> number() const;
    // Shows `number` (nullopt: empty) without emitting numberEdited.
    void setNumber(std::optional<double> number);
    // Where stepping starts from while empty (the field's default).
    void setStepOrigin(std::optional<double> origin) { m_stepOrigin = origin; }
    // The line edit inside (QAbstractSpinBox keeps it protected).
    QLineEdit *textField() const { return lineEdit(); }
    // Text is there but it is not (yet) a number within range.
    bool hasUnfinishedInput() const;

    QString format(double number) const;
    std::optional<double> parse(const QString &text) const;
    double bounded(double number) const;

    QValidator::State validate(QString &input, int &pos) const override;
    void fixup(QString &input) const override;
    void stepBy(int steps) override;
    QSize sizeHint() const override;

signals:
    // The user typed a number within range, emptied the box, stepped, or finished an unfinished
    // entry (which was then clamped into range or put back).
    void numberEdited(std::optional<double> number);
    // The user typed: the text may be unfinished (hasUnfinishedInput()).
    void textTyped();

protected:
    StepEnabled stepEnabled() const override;
    void focusOutEvent(QFocusEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void settle();

    bool m_integer;
    std::optional<double> m_minimum;
    std::optional<double> m_maximum;
    std::optional<double> m_stepOrigin;
    std::optional<double> m_lastNumber; // the last number shown or reported
    bool m_typed = false;               // the user typed since the last setNumber
};

} // namespace weir::ui
