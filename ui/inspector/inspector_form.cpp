#include "inspector/inspector_form.h"

#include "common/form_style.h"
#include "common/node_style.h"
#include "common/tone_label.h"
#include "inspector/editors/text_field_editor.h"
#include "inspector/field_editor.h"
#include "inspector/field_editor_factory.h"

#include <QBoxLayout>
#include <QFormLayout>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace weir::ui {

namespace {

constexpr int kIconSize = 32;
// Field editors keep a 2 px ring for their red frame; other rows match it so edges line up.
constexpr int kEditorInset = 2;
constexpr int kResetSpacing = 2;

// Help texts write mappings as "column -> type"; an arrow reads better on screen.
QString readableHelp(const QString &help)
{
    QString text = help;
    return text.replace(QLatin1String(" -> "), QStringLiteral(" → "));
}

bool spansBothColumns(model::FieldKind kind)
{
    return kind == model::FieldKind::Sql || kind == model::FieldKind::Mapping;
}

// A small borderless "clear" button; one per field, shown while the config sets the field.
// Like a line edit's own clear button it takes no focus: Tab goes from field to field, and
// what is typed after a Tab lands in the next field, never on a button.
void styleResetButton(QToolButton *button)
{
    button->setAutoRaise(true);
    button->setIcon(button->style()->standardIcon(QStyle::SP_LineEditClearButton));
    button->setFocusPolicy(Qt::NoFocus);
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

QFrame *separator(QWidget *parent)
{
    auto *line = new QFrame(parent);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

} // namespace

InspectorForm::InspectorForm(const model::NodeSpec &node, const model::NodeType *type,
                             const FieldEditorContext &context, QWidget *parent)
    : QWidget(parent)
{
    m_relayout.setSingleShot(true);
    m_relayout.setInterval(0);
    connect(&m_relayout, &QTimer::timeout, this, [this] { layout()->invalidate(); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(10);
    addHeader(layout, node, type);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // A narrow dock puts a field under its label rather than cutting the form off at the right.
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setFormAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(8);
    addIdentityRows(node, form);
    if (type && !type->schema.fields().empty()) {
        form->addRow(separator(this));
        form->addRow(sectionTitle(tr("Settings"), this));
        for (const model::ConfigField &field : type->schema.fields())
            addFieldRow(field, node.config.value(field.key), context, form);
    }
    layout->addLayout(form);
    if (type && type->testConnection)
        addConnectionTest(layout);
    layout->addStretch(1);
}

void InspectorForm::addConnectionTest(QVBoxLayout *layout)
{
    m_testConnection = new QPushButton(tr("Test connection"), this);
    m_testConnection->setObjectName(QStringLiteral("testConnection"));
    m_testConnection->setToolTip(
        tr("Connect with these settings and say what the server has, without running."));
    m_connectionResult = new ToneLabel(ToneLabel::Tone::Muted, this);
    m_connectionResult->setObjectName(QStringLiteral("connectionResult"));
    m_connectionResult->setWordWrap(true);
    m_connectionResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_connectionResult->hide();
    auto *row = new QHBoxLayout;
    row->addWidget(m_testConnection);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(m_connectionResult);
    connect(m_testConnection, &QPushButton::clicked, this, &InspectorForm::testConnectionRequested);
}

void InspectorForm::showConnectionTesting()
{
    if (!m_testConnection)
        return;
    m_testConnection->setEnabled(false);
    m_connectionResult->setTone(ToneLabel::Tone::Muted);
    m_connectionResult->setText(tr("Connecting…"));
    m_connectionResult->show();
}

void InspectorForm::showConnectionResult(const Result<QString> &result)
{
    if (!m_testConnection)
        return;
    m_testConnection->setEnabled(true);
    m_connectionResult->setTone(result ? ToneLabel::Tone::Muted : ToneLabel::Tone::Error);
    m_connectionResult->setText(result ? tr("Connected. %1").arg(result.value())
                                       : result.error().message);
    m_connectionResult->show();
}

QString InspectorForm::connectionResult() const
{
    return m_connectionResult && !m_connectionResult->isHidden() ? m_connectionResult->text()
                                                                 : QString();
}

void InspectorForm::addHeader(QVBoxLayout *layout, const model::NodeSpec &node,
                              const model::NodeType *type)
{
    auto *header = new QHBoxLayout;
    header->setSpacing(10);
    auto *icon = new QLabel(this);
    icon->setFixedSize(kIconSize, kIconSize);
    if (type)
        icon->setPixmap(categoryIcon(type->category).pixmap(kIconSize, kIconSize));
    else
        icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(kIconSize));
    header->addWidget(icon, 0, Qt::AlignTop);

    auto *titles = new QVBoxLayout;
    titles->setSpacing(0);
    auto *title = new QLabel(type ? type->displayName : tr("Unknown node type"), this);
    title->setObjectName(QStringLiteral("inspectorTitle"));
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    title->setFont(titleFont);
    title->setWordWrap(true);
    titles->addWidget(title);
    QString subtitle = node.type;
    if (type)
        subtitle = QStringLiteral("%1 · %2").arg(categoryTitle(type->category), node.type);
    auto *typeLabel = new ToneLabel(subtitle, ToneLabel::Tone::Muted, this);
    typeLabel->setFont(smallFont(font()));
    typeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    titles->addWidget(typeLabel);
    header->addLayout(titles, 1);
    layout->addLayout(header);

    auto *description = new QLabel(
        type ? type->description
             : tr("Weir does not know the node type '%1', so it cannot show its settings. They "
                  "are kept in the file as they are.")
                   .arg(node.type),
        this);
    description->setObjectName(QStringLiteral("inspectorDescription"));
    description->setWordWrap(true);
    layout->addWidget(description);

    // Problems of the node as a whole (not connected, unknown fields), with the same icon as
    // the validation panel's rows.
    m_problemsBox = new QWidget(this);
    auto *problemsLayout = new QHBoxLayout(m_problemsBox);
    problemsLayout->setContentsMargins(0, 0, 0, 0);
    problemsLayout->setSpacing(6);
    auto *problemIcon = new QLabel(m_problemsBox);
    problemIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(16, 16));
    m_problems = new ToneLabel(ToneLabel::Tone::Error, m_problemsBox);
    m_problems->setObjectName(QStringLiteral("nodeProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problemsLayout->addWidget(problemIcon, 0, Qt::AlignTop);
    problemsLayout->addWidget(m_problems, 1);
    m_problemsBox->hide();
    layout->addWidget(m_problemsBox);
}

void InspectorForm::addIdentityRows(const model::NodeSpec &node, QFormLayout *form)
{
    m_labelEdit = new QLineEdit(node.label, this);
    m_labelEdit->setObjectName(QStringLiteral("nodeLabel"));
    m_labelEdit->setPlaceholderText(node.id);
    m_labelEdit->setToolTip(tr("The name shown on the canvas and in the monitor"));
    auto *labelCell = new QWidget(this);
    auto *labelLayout = new QHBoxLayout(labelCell);
    // Same right edge as the field editors, which leave room for their reset button.
    QToolButton probe;
    styleResetButton(&probe);
    labelLayout->setContentsMargins(kEditorInset, 0,
                                    kEditorInset + kResetSpacing + probe.sizeHint().width(), 0);
    labelLayout->addWidget(m_labelEdit);
    form->addRow(tr("Label"), labelCell);
    qobject_cast<QLabel *>(form->labelForField(labelCell))->setBuddy(m_labelEdit);
    connect(m_labelEdit, &QLineEdit::textEdited, this, &InspectorForm::labelEdited);

    auto *id = new QLabel(node.id, this);
    id->setObjectName(QStringLiteral("nodeId"));
    id->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    id->setToolTip(tr("Edges, checkpoints and run history refer to the node by this id; it "
                      "does not change when the label does."));
    id->setContentsMargins(kEditorInset, 0, 0, 0);
    form->addRow(tr("Id"), id);
}

void InspectorForm::addFieldRow(const model::ConfigField &field, const QJsonValue &value,
                                const FieldEditorContext &context, QFormLayout *form)
{
    FieldEditor *editor = createFieldEditor(field, context, this);
    editor->setValue(value);
    m_editors[field.key] = editor;

    auto *reset = new QToolButton(this);
    reset->setObjectName(QStringLiteral("reset:") + field.key);
    styleResetButton(reset);
    reset->setToolTip(!FieldEditor::hasDefault(field)
                          ? tr("Clear %1").arg(field.label)
                          : tr("Reset %1 to its default (%2)")
                                .arg(field.label, FieldEditor::displayText(field.defaultValue)));
    QSizePolicy keepSpace = reset->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true);
    reset->setSizePolicy(keepSpace);
    reset->setVisible(!value.isUndefined());
    m_resets[field.key] = reset;

    auto *cell = new QWidget(this);
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(1);
    auto *line = new QHBoxLayout;
    line->setSpacing(kResetSpacing);
    line->addWidget(editor, 1);
    line->addWidget(reset, 0, Qt::AlignTop);
    cellLayout->addLayout(line);
    if (!field.help.isEmpty()) {
        auto *help = new ToneLabel(readableHelp(field.help), ToneLabel::Tone::Muted, cell);
        help->setObjectName(QStringLiteral("help:") + field.key);
        help->setFont(smallFont(font()));
        help->setWordWrap(true);
        help->setContentsMargins(kEditorInset, 0, kEditorInset, 0);
        cellLayout->addWidget(help);
    }

    auto *label =
        new QLabel(field.required ? field.label + QStringLiteral(" *") : field.label, this);
    label->setToolTip(field.required
                          ? readableHelp(field.help) + QLatin1Char('\n') + tr("Required.")
                          : readableHelp(field.help));
    label->setBuddy(editor);
    // QFormLayout gives the label the row's height; keep its text on the editor's first line.
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    if (spansBothColumns(field.kind)) {
        form->addRow(label);
        form->addRow(cell);
    } else {
        // Line the label up with the editor's text, below the red-frame ring.
        label->setContentsMargins(0, kEditorInset + 4, 0, 0);
        form->addRow(label, cell);
    }

    connect(editor, &FieldEditor::edited, this,
            [this, key = field.key](const QJsonValue &v) { emit fieldEdited(key, v); });
    connect(reset, &QToolButton::clicked, this,
            [this, key = field.key] { emit fieldEdited(key, QJsonValue(QJsonValue::Undefined)); });
}

FieldEditor *InspectorForm::editor(const QString &key) const
{
    const auto it = m_editors.find(key);
    return it == m_editors.end() ? nullptr : it->second;
}

QToolButton *InspectorForm::resetButton(const QString &key) const
{
    const auto it = m_resets.find(key);
    return it == m_resets.end() ? nullptr : it->second;
}

QString InspectorForm::headerProblems() const
{
    return m_problemsBox->isHidden() ? QString() : m_problems->text();
}

void InspectorForm::showValue(const QString &key, const QJsonValue &value)
{
    if (FieldEditor *e = editor(key); e && e->value() != value)
        e->setValue(value);
    if (QToolButton *reset = resetButton(key))
        reset->setVisible(!value.isUndefined());
}

void InspectorForm::showLabel(const QString &label)
{
    TextFieldEditor::replaceText(m_labelEdit, label);
}

void InspectorForm::setProblems(const QStringList &headerProblems,
                                const QHash<QString, QString> &byField)
{
    for (const auto &[key, editor] : m_editors)
        editor->setProblem(byField.value(key));
    m_problems->setText(headerProblems.join(QLatin1Char('\n')));
    m_problemsBox->setVisible(!headerProblems.isEmpty());
    // The scroll area sizes this form as soon as the header grows, from heights the form's
    // rows computed before their own layouts caught up; the short height then squeezes the
    // wrapped help texts into the rows below. Once those requests are handled, lay the form
    // out again from fresh heights.
    m_relayout.start();
}

} // namespace weir::ui
