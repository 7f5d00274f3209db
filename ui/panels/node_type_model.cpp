#include "panels/node_type_model.h"

#include "common/node_style.h"

#include <QFont>
#include <QMimeData>
#include <algorithm>

namespace weir::ui {

namespace {

// internalId of a category row; type rows carry their group's index + 1.
constexpr quintptr kCategoryRow = 0;

} // namespace

NodeTypeModel::NodeTypeModel(const model::NodeTypeRegistry &registry, QObject *parent)
    : QAbstractItemModel(parent)
{
    for (const auto category :
         {model::NodeCategory::Source, model::NodeCategory::Transform, model::NodeCategory::Sink})
        m_groups.push_back({category, {}});
    for (const model::NodeType *type : registry.types()) {
        for (Group &group : m_groups) {
            if (group.category == type->category)
                group.types.push_back(type);
        }
    }
    // Display names read better in alphabetical order than the registry's id order.
    for (Group &group : m_groups)
        std::sort(group.types.begin(), group.types.end(),
                  [](const model::NodeType *a, const model::NodeType *b) {
                      return QString::localeAwareCompare(a->displayName, b->displayName) < 0;
                  });
}

QString NodeTypeModel::mimeType()
{
    return QStringLiteral("application/x-weir-node-type");
}

QModelIndex NodeTypeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < static_cast<int>(m_groups.size()) ? createIndex(row, 0, kCategoryRow)
                                                       : QModelIndex();
    if (parent.internalId() != kCategoryRow)
        return {};
    const Group &group = m_groups.at(static_cast<std::size_t>(parent.row()));
    if (row >= static_cast<int>(group.types.size()))
        return {};
    return createIndex(row, 0, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex NodeTypeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kCategoryRow)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kCategoryRow);
}

int NodeTypeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.internalId() != kCategoryRow)
        return 0;
    return static_cast<int>(m_groups.at(static_cast<std::size_t>(parent.row())).types.size());
}

int NodeTypeModel::columnCount(const QModelIndex & /*parent*/) const
{
    return 1;
}

const model::NodeType *NodeTypeModel::typeAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == kCategoryRow)
        return nullptr;
    const Group &group = m_groups.at(static_cast<std::size_t>(index.internalId() - 1));
    return group.types.at(static_cast<std::size_t>(index.row()));
}

QVariant NodeTypeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kCategoryRow) {
        const model::NodeCategory category =
            m_groups.at(static_cast<std::size_t>(index.row())).category;
        switch (role) {
        case Qt::DisplayRole:
            return categoryTitle(category);
        case CategoryRole:
            return static_cast<int>(category);
        case TypeIdRole:
            return QString();
        case Qt::FontRole: {
            QFont f;
            f.setBold(true);
            return f;
        }
        default:
            return {};
        }
    }
    const model::NodeType *type = typeAt(index);
    switch (role) {
    case Qt::DisplayRole:
        return type->displayName;
    case Qt::DecorationRole:
        return categoryIcon(type->category);
    case Qt::ToolTipRole:
        return QStringLiteral("<p><b>%1</b> &nbsp;<code>%2</code></p><p>%3</p>")
            .arg(type->displayName.toHtmlEscaped(), type->id.toHtmlEscaped(),
                 type->description.toHtmlEscaped());
    case Qt::StatusTipRole:
        return type->description;
    case TypeIdRole:
        return type->id;
    case CategoryRole:
        return static_cast<int>(type->category);
    case SearchTextRole:
        return QString(type->displayName + QLatin1Char('\n') + type->id + QLatin1Char('\n') +
                       type->description);
    default:
        return {};
    }
}

Qt::ItemFlags NodeTypeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == kCategoryRow)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList NodeTypeModel::mimeTypes() const
{
    return {mimeType()};
}

QMimeData *NodeTypeModel::mimeData(const QModelIndexList &indexes) const
{
    for (const QModelIndex &index : indexes) {
        if (const model::NodeType *type = typeAt(index)) {
            auto *mime = new QMimeData;
            mime->setData(mimeType(), type->id.toUtf8());
            return mime;
        }
    }
    return nullptr;
}

Qt::DropActions NodeTypeModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

QModelIndex NodeTypeModel::categoryIndex(model::NodeCategory category) const
{
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        if (m_groups[i].category == category)
            return createIndex(static_cast<int>(i), 0, kCategoryRow);
    }
    return {};
}

} // namespace weir::ui
