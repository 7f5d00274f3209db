#pragma once

// DeadLetterDetail: the dead-letter browser's right-hand pane — one entry's place, attempts,
// error and record (JSON indented, monospace), and the editor used by "Edit and retry".
// It owns no data beyond a copy of the entry it shows. GUI thread.

#include "state/state_store.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace weir::ui {

class ToneLabel;

class DeadLetterDetail final : public QWidget
{
    Q_OBJECT

public:
    explicit DeadLetterDetail(QWidget *parent = nullptr);

    // `selected`: how many entries the table has selected (the header mentions more than one).
    // Showing the same record again keeps the editor's scroll position.
    void showEntry(const state::DeadLetterEntry &entry, qsizetype selected);
    void showNothing();
    // 0 when nothing is shown.
    qint64 entryId() const { return m_entry.id; }

    bool isEditing() const { return m_editing; }
    // The record becomes editable; "Retry edited" and "Cancel" appear under it.
    void beginEdit();
    // Back to the stored record, read-only.
    void endEdit();
    QString editedText() const;
    // Shown under the editor in the error colour (invalid JSON: where and what).
    void showEditProblem(const QString &message);
    // While a retry runs the edit buttons wait.
    void setEditButtonsEnabled(bool enabled);

signals:
    void retryEditedClicked();
    void cancelEditClicked();

private:
    state::DeadLetterEntry m_entry;
    bool m_editing = false;
    QLabel *m_header;
    ToneLabel *m_error;
    QPlainTextEdit *m_payload;
    ToneLabel *m_editMessage;
    QWidget *m_editButtons;
    QPushButton *m_retryEditedButton;
    QPushButton *m_cancelButton;
};

} // namespace weir::ui
