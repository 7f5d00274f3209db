#pragma once

// NodeTypeModel: the registry's node types as a two-level tree — category, then type — for
// the palette. Type rows drag as "application/x-weir-node-type" carrying the type id.
// Read-only; GUI thread only.

#include "model/node_type_registry.h"

#include <QAbstractItemModel>
#include <vector>

namespace weir::ui {

class NodeTypeModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role
    {
        TypeIdRole = Qt::UserRole + 1, // type rows: the id; category rows: empty
        CategoryRole,                  // int(model::NodeCategory)
        SearchTextRole,                // display name, id and description, for filtering
    };

    explicit NodeTypeModel(const model::NodeTypeRegistry &registry, QObject *parent = nullptr);

    static QString mimeType();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

    // The row of a category (every category has one, possibly without children).
    QModelIndex categoryIndex(model::NodeCategory category) const;

private:
    struct Group
    {
        model::NodeCategory category;
        std::vector<const model::NodeType *> types;
    };

    const model::NodeType *typeAt(const QModelIndex &index) const;

    std::vector<Group> m_groups;
};

} // namespace weir::ui
