#include "inspector/field_editor.h"

#include "common/form_style.h"
#include "common/tone_label.h"

#include <QBoxLayout>
#include <QFontMetrics>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QPainterPath>

namespace weir::ui {

namespace {

// Room around the body for the red frame, so marking a field never moves its widgets.
constexpr int kFrameMargin = 2;

// "e.g. X" in a help text: X up to the end of its sentence or the bracket that closes it.
QString exampleFromHelp(const QString &help)
{
    const qsizetype start = help.indexOf(QLatin1String("e.g. "));
    if (start < 0)
        return {};
    const QString rest = help.mid(start + 5);
    int depth = 0;
    qsizetype end = 0;
    for (; end < rest.size(); ++end) {
        const QChar c = rest.at(end);
        if (c == QLatin1Char('(')) {
            ++depth;
            continue;
        }
        if (c == QLatin1Char(')')) {
            if (depth == 0)
                break;
            --depth;
            continue;
        }
        if (c == QLatin1Char('.') &&
            (end + 1 == rest.size() || rest.at(end + 1) == QLatin1Char(' ')))
            break;
    }
    return rest.left(end).trimmed();
}

} // namespace

FieldEditor::FieldEditor(model::ConfigField field, QWidget *parent)
    : QWidget(parent), m_field(std::move(field)), m_body(new QWidget(this)),
      m_bodyLayout(new QHBoxLayout(m_body)), m_message(new ToneLabel(ToneLabel::Tone::Error, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    layout->addWidget(m_body);
    layout->addWidget(m_message);
    m_bodyLayout->setContentsMargins(kFrameMargin, kFrameMargin, kFrameMargin, kFrameMargin);
    m_bodyLayout->setSpacing(6);
    m_message->setObjectName(QStringLiteral("fieldMessage"));
    m_message->setFont(smallFont(font()));
    m_message->setContentsMargins(kFrameMargin, 0, kFrameMargin, 0);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // One line, always there: a message appearing or going never moves the fields below. A
    // longer one is cut short there, in full in its tooltip (and in the Problems panel).
    m_message->setFixedHeight(QFontMetrics(m_message->font()).height());
    QSizePolicy line(QSizePolicy::Ignored, QSizePolicy::Fixed);
    line.setRetainSizeWhenHidden(true);
    m_message->setSizePolicy(line);
    m_message->hide();
    setToolTip(m_field.help);
}

void FieldEditor::setProblem(const QString &message)
{
    if (m_problem == message)
        return;
    m_problem = message;
    updateMessage();
}

QString FieldEditor::message() const
{
    return m_notice.isEmpty() ? m_problem : m_notice;
}

void FieldEditor::setNotice(const QString &message)
{
    if (m_notice == message)
        return;
    m_notice = message;
    updateMessage();
}

void FieldEditor::updateMessage()
{
    const QString text = message();
    elideMessage();
    m_message->setToolTip(text);
    m_message->setVisible(!text.isEmpty());
    setAccessibleDescription(text.isEmpty() ? m_field.help : text);
    update();
}

void FieldEditor::elideMessage()
{
    // Several problems come one per line; the line shows as many as fit.
    QString text = message();
    text.replace(QLatin1Char('\n'), QStringLiteral(" · "));
    const int width = m_message->contentsRect().width();
    m_message->setText(width > 0 ? m_message->fontMetrics().elidedText(text, Qt::ElideRight, width)
                                 : text);
}

void FieldEditor::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (!message().isEmpty())
        elideMessage();
}

void FieldEditor::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    if (message().isEmpty())
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(errorColor(palette()), 1.5));
    p.setBrush(Qt::NoBrush);
    const QRectF frame = QRectF(m_body->geometry()).adjusted(0.75, 0.75, -0.75, -0.75);
    p.drawRoundedRect(frame, 3, 3);
}

bool FieldEditor::hasDefault(const model::ConfigField &field)
{
    return !field.defaultValue.isUndefined() && !field.defaultValue.isNull();
}

QString FieldEditor::placeholderFor(const model::ConfigField &field)
{
    if (hasDefault(field))
        return displayText(field.defaultValue);
    if (const QString example = exampleFromHelp(field.help); !example.isEmpty())
        return tr("e.g. %1").arg(example);
    return field.required ? tr("Required") : QString();
}

QString FieldEditor::displayText(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    if (value.isString())
        return value.toString();
    // QJsonDocument writes only arrays and objects: wrap the value and take it out again.
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

} // namespace weir::ui
