#include "common/secrets.h"

#include <QRegularExpression>

namespace weir::common {
namespace {

const QRegularExpression &referencePattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(\$\{(env|keychain):([A-Za-z0-9_.\-]+)\})"));
    return re;
}

} // namespace

QList<SecretReference> secretReferences(const QString &text)
{
    QList<SecretReference> out;
    auto it = referencePattern().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out.append(SecretReference{m.captured(1), m.captured(2)});
    }
    return out;
}

bool isSecretReference(const QString &text)
{
    const auto m = referencePattern().match(text);
    return m.hasMatch() && m.capturedStart() == 0 && m.capturedLength() == text.size();
}

QString resolveSecretReferences(const QString &text, QStringList *unresolved)
{
    if (!text.contains(QLatin1String("${")))
        return text;
    QString out;
    qsizetype last = 0;
    auto it = referencePattern().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        const QString provider = m.captured(1);
        const QString name = m.captured(2);
        const QByteArray envName = name.toUtf8();
        if (provider == QLatin1String("env") && qEnvironmentVariableIsSet(envName.constData())) {
            out += qEnvironmentVariable(envName.constData());
        } else {
            // The OS keychain is reached from the desktop app; a headless run sees env only.
            if (unresolved)
                unresolved->append(provider + QLatin1Char(':') + name);
            out += m.captured(0);
        }
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QString maskSecrets(QString message, const QStringList &secretValues)
{
    for (const QString &secret : secretValues) {
        if (secret.size() >= 3)
            message.replace(secret, QStringLiteral("***"));
    }
    return message;
}

} // namespace weir::common
