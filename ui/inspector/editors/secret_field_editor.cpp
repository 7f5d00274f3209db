#include "inspector/editors/secret_field_editor.h"

#include "common/form_style.h"
#include "common/secrets.h"
#include "common/tone_label.h"
#include "inspector/editors/text_field_editor.h"

#include <QBoxLayout>
#include <QComboBox>
#include <QLineEdit>
#include <QRegularExpression>

namespace weir::ui {

namespace {

const QString kEnv = QStringLiteral("env");
const QString kKeychain = QStringLiteral("keychain");

// A pasted run this long that mixes letters and digits is a token, not a variable name.
constexpr int kTokenLength = 20;

} // namespace

SecretFieldEditor::SecretFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_provider(new QComboBox(this)), m_name(new QLineEdit(this)),
      m_reference(new ToneLabel(ToneLabel::Tone::Muted, this))
{
    m_provider->addItem(tr("Environment variable"), kEnv);
    m_provider->addItem(tr("OS keychain"), kKeychain);
    m_provider->setToolTip(tr("Where the secret is read from when a run starts"));
    ignoreWheelUnlessFocused(m_provider);
    m_name->setToolTip(field.help);
    m_reference->setFont(smallFont(font()));
    m_reference->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reference->setWordWrap(true); // fits a narrow dock

    bodyLayout()->setDirection(QBoxLayout::TopToBottom);
    auto *row = new QHBoxLayout;
    row->setSpacing(6);
    row->addWidget(m_provider);
    row->addWidget(m_name, 1);
    bodyLayout()->addLayout(row);
    bodyLayout()->addWidget(m_reference);
    setFocusProxy(m_name);
    setTabOrder(m_name, m_provider);

    connect(m_name, &QLineEdit::textEdited, this, &SecretFieldEditor::nameEdited);
    connect(m_provider, &QComboBox::activated, this, [this] {
        m_name->setPlaceholderText(provider() == kEnv ? tr("VARIABLE_NAME") : tr("entry name"));
        if (!m_acceptedName.isEmpty())
            commit();
    });
    setValue(QJsonValue(QJsonValue::Undefined));
}

QString SecretFieldEditor::provider() const
{
    return m_provider->currentData().toString();
}

bool SecretFieldEditor::isReferenceName(const QString &text)
{
    static const QRegularExpression name(QStringLiteral("\\A[A-Za-z0-9_.\\-]+\\z"));
    return name.match(text).hasMatch();
}

bool SecretFieldEditor::looksLikeSecretValue(const QString &text)
{
    if (!isReferenceName(text))
        return true;
    bool lower = false;
    bool upper = false;
    bool digit = false;
    for (const QChar c : text) {
        lower = lower || c.isLower();
        upper = upper || c.isUpper();
        digit = digit || c.isDigit();
    }
    return text.size() >= kTokenLength && digit && lower && upper;
}

void SecretFieldEditor::nameEdited(const QString &text)
{
    const QString typed = text.trimmed();
    // A whole reference pasted in: take it apart.
    if (common::isSecretReference(typed)) {
        const common::SecretReference ref = common::secretReferences(typed).constFirst();
        m_provider->setCurrentIndex(m_provider->findData(ref.provider));
        m_name->setText(ref.name);
        m_acceptedName = ref.name;
        commit();
        return;
    }
    // Anything but a single keystroke (a paste, a drop) is judged as a whole, so a token
    // pasted after "PG_" is refused too.
    const bool keystroke = qAbs(typed.size() - m_acceptedName.size()) <= 1;
    if (!typed.isEmpty() &&
        (!isReferenceName(typed) || (!keystroke && looksLikeSecretValue(typed)))) {
        const int cursor = qMin(m_name->cursorPosition(), static_cast<int>(m_acceptedName.size()));
        m_name->setText(m_acceptedName);
        m_name->setCursorPosition(cursor);
        setNotice(tr("Secrets are never stored in the pipeline. Type the name of the environment "
                     "variable or keychain entry that holds it (letters, digits, _ . -)."));
        return;
    }
    m_acceptedName = typed;
    commit();
}

void SecretFieldEditor::commit()
{
    setNotice({});
    m_value = m_acceptedName.isEmpty()
                  ? QJsonValue(QJsonValue::Undefined)
                  : QJsonValue(QStringLiteral("${%1:%2}").arg(provider(), m_acceptedName));
    showReference();
    emit edited(m_value);
}

void SecretFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    const QString text = value.toString();
    if (value.isString() && common::isSecretReference(text)) {
        const common::SecretReference ref = common::secretReferences(text).constFirst();
        m_provider->setCurrentIndex(m_provider->findData(ref.provider));
        m_acceptedName = ref.name;
        setNotice({});
    } else {
        m_acceptedName.clear();
        // Clear text from a hand-edited file is neither shown nor kept by an edit here.
        setNotice(value.isUndefined()
                      ? QString()
                      : tr("This field holds a value that is not a reference. Enter a name to "
                           "replace it."));
    }
    TextFieldEditor::replaceText(m_name, m_acceptedName);
    m_name->setPlaceholderText(provider() == kEnv ? tr("VARIABLE_NAME") : tr("entry name"));
    showReference();
}

void SecretFieldEditor::showReference()
{
    if (m_acceptedName.isEmpty()) {
        m_reference->setText(tr("Saved as ${%1:NAME}; read when a run starts.").arg(provider()));
        return;
    }
    m_reference->setText(tr("Saved as ${%1:%2}; the secret itself is read when a run starts.")
                             .arg(provider(), m_acceptedName));
}

} // namespace weir::ui
