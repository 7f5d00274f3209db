#include "inspector/editors/number_spin_box.h"

#include "inspector/editors/text_field_editor.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QStyleOptionSpinBox>
#include <cmath>

namespace weir::ui {

namespace {

// Text that can still become a number by typing on: a sign, a trailing decimal point or an
// exponent without digits.
bool isNumberPrefix(const QString &text, const QLocale &locale)
{
    if (text == QLatin1String("-") || text == QLatin1String("+"))
        return true;
    const QString decimal = locale.decimalPoint();
    for (const QString &tail :
         {decimal, QStringLiteral("e"), QStringLiteral("E"), QStringLiteral("e-"),
          QStringLiteral("E-"), QStringLiteral("e+"), QStringLiteral("E+")}) {
        if (text.endsWith(tail)) {
            const QString head = text.chopped(tail.size());
            bool ok = false;
            locale.toDouble(head, &ok);
            if (ok || head.isEmpty() || head == QLatin1String("-"))
                return true;
        }
    }
    return false;
}

} // namespace

NumberSpinBox::NumberSpinBox(bool integer, std::optional<double> minimum,
                             std::optional<double> maximum, QWidget *parent)
    : QAbstractSpinBox(parent), m_integer(integer), m_minimum(minimum), m_maximum(maximum)
{
    setAccelerated(true);
    setCorrectionMode(CorrectToNearestValue);
    QLocale l = locale();
    l.setNumberOptions(QLocale::OmitGroupSeparator);
    setLocale(l);
    connect(lineEdit(), &QLineEdit::textEdited, this, [this] {
        m_typed = true;
        if (const QString text = lineEdit()->text().trimmed(); text.isEmpty()) {
            m_lastNumber.reset();
            emit numberEdited(std::nullopt);
        } else if (const auto n = number()) {
            m_lastNumber = n;
            emit numberEdited(n);
        }
        emit textTyped();
    });
}

std::optional<double> NumberSpinBox::number() const
{
    const auto n = parse(lineEdit()->text());
    if (!n || bounded(*n) != *n)
        return std::nullopt;
    return n;
}

void NumberSpinBox::setNumber(std::optional<double> number)
{
    m_lastNumber = number;
    m_typed = false;
    const QString text = number ? format(*number) : QString();
    if (lineEdit()->text() == text)
        return;
    TextFieldEditor::replaceText(lineEdit(), text);
    update();
}

bool NumberSpinBox::hasUnfinishedInput() const
{
    return !lineEdit()->text().trimmed().isEmpty() && !number();
}

QString NumberSpinBox::format(double number) const
{
    if (m_integer)
        return locale().toString(static_cast<qlonglong>(std::llround(number)));
    return locale().toString(number, 'g', QLocale::FloatingPointShortest);
}

std::optional<double> NumberSpinBox::parse(const QString &text) const
{
    const QString t = text.trimmed();
    for (const QLocale &l : {locale(), QLocale::c()}) {
        bool ok = false;
        if (m_integer) {
            const qlonglong v = l.toLongLong(t, &ok);
            if (ok)
                return static_cast<double>(v);
        } else {
            const double v = l.toDouble(t, &ok);
            if (ok && std::isfinite(v))
                return v;
        }
    }
    return std::nullopt;
}

double NumberSpinBox::bounded(double number) const
{
    if (m_minimum && number < *m_minimum)
        return *m_minimum;
    if (m_maximum && number > *m_maximum)
        return *m_maximum;
    return number;
}

QValidator::State NumberSpinBox::validate(QString &input, int & /*pos*/) const
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return QValidator::Acceptable;
    if (const auto n = parse(text))
        return bounded(*n) == *n ? QValidator::Acceptable : QValidator::Intermediate;
    if (!m_integer && isNumberPrefix(text, locale()))
        return QValidator::Intermediate;
    if (m_integer && (text == QLatin1String("-") || text == QLatin1String("+")))
        return QValidator::Intermediate;
    return QValidator::Invalid;
}

void NumberSpinBox::fixup(QString &input) const
{
    if (const auto n = parse(input))
        input = format(bounded(*n));
    else if (m_lastNumber)
        input = format(*m_lastNumber);
    else
        input.clear();
}

void NumberSpinBox::stepBy(int steps)
{
    double from = 0;
    if (const auto n = parse(lineEdit()->text()))
        from = *n;
    else if (m_stepOrigin)
        from = *m_stepOrigin;
    else if (m_minimum && *m_minimum > 0)
        from = *m_minimum - steps; // the first step lands on the minimum
    const double next = bounded(from + steps);
    setNumber(next);
    lineEdit()->selectAll();
    emit numberEdited(next);
}

QAbstractSpinBox::StepEnabled NumberSpinBox::stepEnabled() const
{
    if (isReadOnly())
        return StepNone;
    const auto n = parse(lineEdit()->text());
    if (!n)
        return StepUpEnabled | StepDownEnabled;
    StepEnabled enabled = StepNone;
    if (!m_maximum || *n < *m_maximum)
        enabled |= StepUpEnabled;
    if (!m_minimum || *n > *m_minimum)
        enabled |= StepDownEnabled;
    return enabled;
}

QSize NumberSpinBox::sizeHint() const
{
    ensurePolished();
    const QFontMetrics fm(font());
    int w = fm.horizontalAdvance(lineEdit()->placeholderText());
    for (const auto &bound : {m_minimum, m_maximum}) {
        if (bound)
            w = qMax(w, fm.horizontalAdvance(format(*bound)));
    }
    w = qMax(w, fm.horizontalAdvance(QStringLiteral("0000000"))) + 4;
    const int h = lineEdit()->sizeHint().height();
    QStyleOptionSpinBox opt;
    initStyleOption(&opt);
    return style()->sizeFromContents(QStyle::CT_SpinBox, &opt, QSize(w, h), this);
}

void NumberSpinBox::focusOutEvent(QFocusEvent *event)
{
    settle();
    QAbstractSpinBox::focusOutEvent(event);
}

void NumberSpinBox::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        settle();
    QAbstractSpinBox::keyPressEvent(event);
}

// An unfinished entry becomes the nearest number in range ("0" in 1…100 becomes 1) or, when
// it is no number at all ("-"), the last one. Only what the user typed: an out-of-range value
// read from the file stays as it is (validation marks it) until the user changes it.
void NumberSpinBox::settle()
{
    if (!m_typed || !hasUnfinishedInput())
        return;
    const auto typed = parse(lineEdit()->text());
    const std::optional<double> settled = typed ? std::optional(bounded(*typed)) : m_lastNumber;
    setNumber(settled);
    emit numberEdited(settled);
}

} // namespace weir::ui
