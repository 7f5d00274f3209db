#include "monitor/dead_letter_detail.h"

#include "common/tone_label.h"
#include "monitor/dead_letter_model.h"
#include "monitor/payload_text.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace weir::ui {

DeadLetterDetail::DeadLetterDetail(QWidget *parent)
    : QWidget(parent), m_header(new QLabel(this)),
      m_error(new ToneLabel(ToneLabel::Tone::Error, this)), m_payload(new QPlainTextEdit(this)),
      m_editMessage(new ToneLabel(ToneLabel::Tone::Muted, this)), m_editButtons(new QWidget(this)),
      m_retryEditedButton(new QPushButton(tr("Retry edited"), m_editButtons)),
      m_cancelButton(new QPushButton(tr("Cancel"), m_editButtons))
{
    m_header->setObjectName(QStringLiteral("detailHeader"));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_error->setObjectName(QStringLiteral("detailError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setToolTip(tr("Why the record failed, the last time it was tried"));

    m_payload->setObjectName(QStringLiteral("payload"));
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_payload->setReadOnly(true);
    m_payload->setTabChangesFocus(true);
    m_payload->setToolTip(tr("The record as it reached the node. Edit and retry makes it "
                             "editable."));

    // The message sits straight in this layout: nested in another widget, a wrapped label
    // does not get the height its second line needs.
    m_editMessage->setObjectName(QStringLiteral("editMessage"));
    m_editMessage->setWordWrap(true);
    m_editMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retryEditedButton->setObjectName(QStringLiteral("retryEdited"));
    m_retryEditedButton->setToolTip(tr("Put the edited record back into the node it failed in"));
    m_cancelButton->setObjectName(QStringLiteral("cancelEdit"));
    m_cancelButton->setToolTip(tr("Forget the edits; the entry stays as it was"));
    auto *buttons = new QHBoxLayout(m_editButtons);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addStretch(1);
    buttons->addWidget(m_retryEditedButton);
    buttons->addWidget(m_cancelButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_error);
    layout->addWidget(m_payload, 1);
    layout->addWidget(m_editMessage);
    layout->addWidget(m_editButtons);
    m_editMessage->hide();
    m_editButtons->hide();

    connect(m_retryEditedButton, &QPushButton::clicked, this,
            &DeadLetterDetail::retryEditedClicked);
    connect(m_cancelButton, &QPushButton::clicked, this, &DeadLetterDetail::cancelEditClicked);
    showNothing();
}

void DeadLetterDetail::showEntry(const state::DeadLetterEntry &entry, qsizetype selected)
{
    QString header =
        tr("<b>#%1</b> · node <b>%2</b> · %3<br>%4 · first failed %5")
            .arg(entry.id)
            .arg(entry.node.toHtmlEscaped(), DeadLetterModel::sourceText(entry).toHtmlEscaped(),
                 entry.attempts == 1 ? tr("1 attempt") : tr("%1 attempts").arg(entry.attempts),
                 QDateTime::fromMSecsSinceEpoch(entry.createdMs)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (selected > 1)
        header += tr(" <i>(%1 selected)</i>").arg(selected);
    m_header->setText(header);
    m_header->setToolTip(entry.stream);
    m_error->setText(entry.error);
    m_error->show();
    m_payload->show();
    const QString pretty = prettyPayload(entry.payload);
    if (entry.id != m_entry.id || m_payload->toPlainText() != pretty)
        m_payload->setPlainText(pretty);
    m_entry = entry;
}

void DeadLetterDetail::showNothing()
{
    m_entry = {};
    m_header->setText(tr("Select a dead letter to read its record and why it failed. "
                         "Shift and Ctrl select several."));
    m_header->setToolTip(QString());
    m_error->clear();
    m_error->hide();
    m_payload->clear();
    m_payload->hide();
}

void DeadLetterDetail::beginEdit()
{
    if (m_entry.id == 0)
        return;
    m_editing = true;
    m_payload->setReadOnly(false);
    m_editMessage->setTone(ToneLabel::Tone::Muted);
    m_editMessage->setText(
        looksLikeJson(m_entry.payload)
            ? tr("Fix the record, then retry it. It must stay one JSON object.")
            : tr("Fix the row, then retry it. It is read with the header of its file."));
    m_editMessage->show();
    m_editButtons->show();
    m_payload->setFocus();
}

void DeadLetterDetail::endEdit()
{
    m_editing = false;
    m_payload->setReadOnly(true);
    m_editMessage->hide();
    m_editButtons->hide();
    m_payload->setPlainText(prettyPayload(m_entry.payload));
}

QString DeadLetterDetail::editedText() const
{
    return m_payload->toPlainText();
}

void DeadLetterDetail::showEditProblem(const QString &message)
{
    m_editMessage->setTone(ToneLabel::Tone::Error);
    m_editMessage->setText(message);
}

void DeadLetterDetail::setEditButtonsEnabled(bool enabled)
{
    m_retryEditedButton->setEnabled(enabled);
    m_cancelButton->setEnabled(enabled);
    m_payload->setReadOnly(!(enabled && m_editing));
}

} // namespace weir::ui
