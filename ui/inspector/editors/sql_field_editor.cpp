#include "inspector/editors/sql_field_editor.h"

#include "common/form_style.h"
#include "inspector/editors/sql_highlighter.h"

#include <QAbstractTextDocumentLayout>
#include <QBoxLayout>
#include <QEvent>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <cmath>

namespace weir::ui {

namespace {

constexpr int kMinLines = 3;
constexpr int kMaxLines = 12;

bool hasDarkBase(const QWidget *widget)
{
    return widget->palette().color(QPalette::Base).lightness() < 128;
}

} // namespace

SqlFieldEditor::SqlFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_edit(new QPlainTextEdit(this)),
      m_highlighter(new SqlHighlighter(m_edit->document()))
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(qMax(mono.pointSizeF(), font().pointSizeF()));
    m_edit->setFont(mono);
    m_edit->setTabChangesFocus(true);
    m_edit->setPlaceholderText(placeholderFor(field));
    m_edit->setToolTip(field.help);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_edit->setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 4);
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    ignoreWheelUnlessFocused(m_edit);
    m_highlighter->setDarkBackground(hasDarkBase(m_edit));
    bodyLayout()->addWidget(m_edit);
    setFocusProxy(m_edit);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_updating)
            return;
        const QString text = m_edit->toPlainText();
        m_value = text.trimmed().isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
        emit edited(m_value);
    });
    connect(m_edit->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
            this, &SqlFieldEditor::updateHeight);
    updateHeight();
}

void SqlFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    const QString text = displayText(value);
    if (m_edit->toPlainText() == text)
        return;
    const bool typing = m_edit->hasFocus();
    const int position = m_edit->textCursor().position();
    const int scroll = m_edit->verticalScrollBar()->value();
    m_updating = true;
    m_edit->setPlainText(text);
    m_updating = false;
    if (!typing)
        return;
    QTextCursor cursor = m_edit->textCursor();
    cursor.setPosition(qMin(position, static_cast<int>(m_edit->document()->characterCount()) - 1));
    m_edit->setTextCursor(cursor);
    m_edit->verticalScrollBar()->setValue(scroll);
}

void SqlFieldEditor::changeEvent(QEvent *event)
{
    FieldEditor::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setDarkBackground(hasDarkBase(m_edit));
    else if (event->type() == QEvent::FontChange)
        updateHeight();
}

// As tall as the text (visual lines, wrapping included), between kMinLines and kMaxLines.
void SqlFieldEditor::updateHeight()
{
    const qreal lines = m_edit->document()->documentLayout()->documentSize().height();
    const int shown = qBound(kMinLines, static_cast<int>(std::ceil(lines)), kMaxLines);
    const QFontMetrics fm(m_edit->font());
    const int margins = m_edit->contentsMargins().top() + m_edit->contentsMargins().bottom() +
                        static_cast<int>(2 * m_edit->document()->documentMargin());
    m_edit->setFixedHeight(shown * fm.lineSpacing() + margins + 2);
}

} // namespace weir::ui
