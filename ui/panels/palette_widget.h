#pragma once

// PaletteWidget: every node type the registry knows, grouped by category, with a search box.
// Types are dragged onto the canvas or activated (double-click, Enter) to add a node.
// Owns its model and view; lives on the GUI thread.

#include "model/node_type_registry.h"

#include <QWidget>

class QLineEdit;
class QModelIndex;
class QTreeView;

namespace weir::ui {

class NodeTypeFilterModel;
class NodeTypeModel;
class ToneLabel;

class PaletteWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit PaletteWidget(const model::NodeTypeRegistry &registry, QWidget *parent = nullptr);

    // Shows the types whose name, id or description contain every word of `text`.
    void setFilterText(const QString &text);

    // Wide enough for the longest type name, so none is cut short on a first start.
    QSize sizeHint() const override;

signals:
    void nodeTypeActivated(const QString &typeId); // double-click or Enter

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyFilter(const QString &text);
    void activate(const QModelIndex &index);
    // The first type row shown (proxy index); invalid when nothing matches.
    QModelIndex firstType() const;

    NodeTypeModel *m_model;
    NodeTypeFilterModel *m_filter;
    QLineEdit *m_search;
    QTreeView *m_view;
    ToneLabel *m_noMatch;
};

} // namespace weir::ui
