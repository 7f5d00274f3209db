#pragma once

// SecretFieldEditor: where a secret comes from (FieldKind::Secret) — an environment variable
// or an OS keychain entry, by name. The config only ever receives ${env:NAME} or
// ${keychain:NAME}; text that looks like the secret itself is refused. GUI thread only.

#include "inspector/field_editor.h"

class QComboBox;
class QLineEdit;

namespace weir::ui {

class ToneLabel;

class SecretFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit SecretFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QComboBox *providerBox() const { return m_provider; }
    QLineEdit *nameEdit() const { return m_name; }

    // A name an environment variable or keychain entry can have.
    static bool isReferenceName(const QString &text);
    // Text that is more likely a password or token than the name of one: characters no name
    // has, or a long pasted run mixing letters and digits like an API key.
    static bool looksLikeSecretValue(const QString &text);

private:
    void nameEdited(const QString &text);
    void commit();
    void showReference();
    QString provider() const;

    QComboBox *m_provider;
    QLineEdit *m_name;
    ToneLabel *m_reference;
    QString m_acceptedName; // what the name box held after the last accepted edit
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
