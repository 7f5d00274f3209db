#include "model/node_type_reference.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace weir::model {
namespace {

QJsonArray portsJson(const std::vector<PortSpec> &ports)
{
    QJsonArray out;
    for (const PortSpec &p : ports)
        out.append(
            QJsonObject{{QStringLiteral("name"), p.name}, {QStringLiteral("type"), p.dataType}});
    return out;
}

QString compactJson(const QJsonValue &v)
{
    const QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

} // namespace

QJsonArray nodeTypeReferenceJson(const NodeTypeRegistry &registry)
{
    QJsonArray out;
    for (const NodeType *t : registry.types()) {
        out.append(QJsonObject{{QStringLiteral("id"), t->id},
                               {QStringLiteral("name"), t->displayName},
                               {QStringLiteral("category"), nodeCategoryName(t->category)},
                               {QStringLiteral("description"), t->description},
                               {QStringLiteral("inputs"), portsJson(t->inputs)},
                               {QStringLiteral("outputs"), portsJson(t->outputs)},
                               {QStringLiteral("config"), t->schema.toJson()}});
    }
    return out;
}

QString nodeTypeReferenceText(const NodeTypeRegistry &registry)
{
    QString out;
    for (const NodeType *t : registry.types()) {
        out += QStringLiteral("%1  (%2, %3)\n  %4\n")
                   .arg(t->id, t->displayName, nodeCategoryName(t->category), t->description);
        for (const ConfigField &f : t->schema.fields()) {
            QString line = QStringLiteral("    %1  %2%3")
                               .arg(f.key, fieldKindName(f.kind),
                                    f.required ? QStringLiteral(", required") : QString());
            if (!f.defaultValue.isUndefined())
                line += QStringLiteral(", default %1").arg(compactJson(f.defaultValue));
            if (f.minimum || f.maximum)
                line += QStringLiteral(", range %1..%2")
                            .arg(f.minimum ? QString::number(*f.minimum) : QString(),
                                 f.maximum ? QString::number(*f.maximum) : QString());
            if (!f.options.isEmpty())
                line += QStringLiteral(", one of %1").arg(f.options.join(QLatin1Char('|')));
            out += line + QLatin1Char('\n');
            out += QStringLiteral("        %1\n").arg(f.help);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace weir::model
