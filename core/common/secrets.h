#pragma once

// ${env:NAME} and ${keychain:NAME} references in pipeline config values. Pipeline files never
// hold secrets in clear; values are resolved when a run starts and masked in every message.

#include <QString>
#include <QStringList>

namespace weir::common {

struct SecretReference
{
    QString provider; // "env" or "keychain"
    QString name;
};

// Every ${provider:name} in the text, in order.
QList<SecretReference> secretReferences(const QString &text);

// True when the whole text is a single ${…} reference.
bool isSecretReference(const QString &text);

// The text with each reference replaced by its value. References that cannot be resolved are
// listed in *unresolved ("env:NAME") and left as they are.
QString resolveSecretReferences(const QString &text, QStringList *unresolved);

// Replaces every occurrence of the given secret values in `message` by "***".
QString maskSecrets(QString message, const QStringList &secretValues);

} // namespace weir::common
