#pragma once

// FieldEditor: the editor of one config field, one subclass per field kind. It shows a value,
// reports the user's edits and shows one message under itself (a validation problem, or why
// it refused an input) on a line kept free for it, so messages coming and going never move
// the fields below; it never touches the document. GUI thread only.

#include "model/config_schema.h"

#include <QJsonValue>
#include <QWidget>

class QBoxLayout;

namespace weir::ui {

class ToneLabel;

class FieldEditor : public QWidget
{
    Q_OBJECT

public:
    explicit FieldEditor(model::ConfigField field, QWidget *parent = nullptr);

    const model::ConfigField &field() const { return m_field; }

    // Shows `value` (undefined: the key is unset) without emitting edited.
    virtual void setValue(const QJsonValue &value) = 0;
    // What the config should hold; undefined when the key should be removed.
    virtual QJsonValue value() const = 0;

    // A validation problem to show under the editor, framed in red; empty clears it.
    void setProblem(const QString &message);
    QString problem() const { return m_problem; }
    // The text under the editor: the editor's own notice first, else the problem.
    QString message() const;

    // ConfigField::defaultValue is a default-constructed (null) QJsonValue when not given.
    static bool hasDefault(const model::ConfigField &field);
    // The default as text ("10000", "upsert"), else an example from the help ("e.g.
    // updated_at"), else "Required" for required fields: what an empty editor shows.
    static QString placeholderFor(const model::ConfigField &field);
    // JSON value as one line of text: strings bare, everything else compact JSON.
    static QString displayText(const QJsonValue &value);

signals:
    void edited(const QJsonValue &value);

protected:
    // Where subclasses put their widgets (left to right unless they change the direction).
    QBoxLayout *bodyLayout() const { return m_bodyLayout; }
    // The editor's own notice (a refused paste, an unfinished number); empty clears it.
    void setNotice(const QString &message);
    QString notice() const { return m_notice; }

    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateMessage();
    void elideMessage();

    model::ConfigField m_field;
    QWidget *m_body;
    QBoxLayout *m_bodyLayout;
    ToneLabel *m_message;
    QString m_problem;
    QString m_notice;
};

} // namespace weir::ui
