#include "canvas/node_item.h"

#include "canvas/edge_item.h"
#include "canvas/port_item.h"
#include "common/node_style.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>
#include <algorithm>
#include <cmath>

namespace weir::ui {

namespace {

constexpr qreal kGrid = 20;
constexpr qreal kRadius = 8;
constexpr qreal kStrip = 6;

QColor stateColor(NodeRunState state, const QPalette &palette)
{
    switch (state) {
    case NodeRunState::Running:
        return {0x2b, 0x83, 0xc6};
    case NodeRunState::Finished:
        return {0x2e, 0x9e, 0x6b};
    case NodeRunState::Failed:
        return {0xd0, 0x3b, 0x3b};
    case NodeRunState::Idle:
        break;
    }
    return palette.color(QPalette::Mid);
}

// The card's left edge, rounded like the card: the same for every node, built once.
const QPainterPath &stripPath()
{
    static const QPainterPath strip = [] {
        QPainterPath card;
        card.addRoundedRect(QRectF(0, 0, NodeItem::width, NodeItem::height), kRadius, kRadius);
        QPainterPath left;
        left.addRect(QRectF(0, 0, kStrip, NodeItem::height));
        return card.intersected(left);
    }();
    return strip;
}

void placePorts(std::vector<PortItem *> &ports, bool input, qreal x)
{
    std::vector<PortItem *> side;
    std::copy_if(ports.begin(), ports.end(), std::back_inserter(side),
                 [input](PortItem *p) { return p->isInput() == input; });
    for (std::size_t i = 0; i < side.size(); ++i)
        side[i]->setPos(x, NodeItem::height * static_cast<qreal>(i + 1) /
                               static_cast<qreal>(side.size() + 1));
}

} // namespace

NodeItem::NodeItem(const model::NodeSpec &node, const model::NodeType *type)
    : m_id(node.id), m_label(node.label), m_known(type != nullptr)
{
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges | ItemIsFocusable);
    // No item cache: measured with bench_canvas, re-rendering caches at every zoom step cost
    // more than painting these few shapes directly.
    setAcceptHoverEvents(true);
    if (type) {
        m_typeName = type->displayName;
        m_description = type->description;
        m_category = type->category;
        for (const model::PortSpec &p : type->inputs)
            m_ports.push_back(new PortItem(m_id, p.name, true, this));
        for (const model::PortSpec &p : type->outputs)
            m_ports.push_back(new PortItem(m_id, p.name, false, this));
        placePorts(m_ports, true, 0);
        placePorts(m_ports, false, width);
    } else {
        m_typeName = QApplication::translate("weir::ui", "unknown type %1").arg(node.type);
    }
    setPosFromModel(QPointF(node.x, node.y));
    updateToolTip();
}

QRectF NodeItem::boundingRect() const
{
    // Room for the selection outline and the badge overhanging the top-right corner.
    return {-4, -12, width + 16, height + 16};
}

PortItem *NodeItem::port(const QString &name, bool input) const
{
    for (PortItem *p : m_ports) {
        if (p->isInput() == input && p->ref().port == name)
            return p;
    }
    return nullptr;
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = QApplication::palette();
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const QRectF card(0, 0, width, height);
    const QColor accent = m_known ? categoryColor(m_category) : palette.color(QPalette::Mid);
    painter->setRenderHint(QPainter::Antialiasing);

    // Selection is a halo around the card, so the border can keep showing the run state.
    if (isSelected()) {
        QColor halo = palette.color(QPalette::Highlight);
        halo.setAlphaF(0.45);
        QPen haloPen(halo, 3);
        haloPen.setCosmetic(true);
        painter->setPen(haloPen);
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(card.adjusted(-3, -3, 3, 3), kRadius + 3, kRadius + 3);
    }
    // Card with the category strip on the left.
    QPen border(stateColor(m_runState, palette), m_runState != NodeRunState::Idle ? 2.5 : 1);
    border.setCosmetic(true);
    painter->setPen(border);
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(card, kRadius, kRadius);
    painter->fillPath(stripPath(), accent);
    if (lod < 0.5)
        return; // far out: the card and its colour say enough

    const QRectF iconRect(kStrip + 10, 12, 24, 24);
    categoryIcon(m_category).paint(painter, iconRect.toRect());
    const qreal textLeft = iconRect.right() + 8;
    const qreal textWidth = width - textLeft - 10;
    QFont font = QApplication::font();
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::Text));
    const QFontMetricsF bold(font);
    painter->drawText(
        QRectF(textLeft, 8, textWidth, bold.height()), Qt::AlignLeft | Qt::AlignVCenter,
        bold.elidedText(m_label.isEmpty() ? m_id : m_label, Qt::ElideRight, textWidth));
    font.setBold(false);
    font.setPointSizeF(font.pointSizeF() * 0.85);
    painter->setFont(font);
    const QFontMetricsF small(font);
    QColor muted = palette.color(QPalette::Text);
    muted.setAlphaF(0.65);
    painter->setPen(muted);
    painter->drawText(QRectF(textLeft, 8 + bold.height(), textWidth, small.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      small.elidedText(m_typeName, Qt::ElideRight, textWidth));
    const QString counters = countersText();
    if (!counters.isEmpty()) {
        painter->setPen(m_runState == NodeRunState::Failed ? stateColor(m_runState, palette)
                                                           : palette.color(QPalette::Text));
        painter->drawText(
            QRectF(kStrip + 10, height - small.height() - 8, width - kStrip - 20, small.height()),
            Qt::AlignLeft | Qt::AlignVCenter,
            small.elidedText(counters, Qt::ElideRight, width - kStrip - 20));
    }

    if (!m_problems.isEmpty()) {
        const QRectF badge(width - 12, -8, 20, 20);
        painter->setPen(QPen(palette.color(QPalette::Base), 2));
        painter->setBrush(QColor(0xd0, 0x3b, 0x3b));
        painter->drawEllipse(badge);
        QFont bf = QApplication::font();
        bf.setBold(true);
        bf.setPointSizeF(bf.pointSizeF() * 0.8);
        painter->setFont(bf);
        painter->setPen(Qt::white);
        painter->drawText(badge, Qt::AlignCenter, QString::number(m_problems.size()));
    }
}

QString NodeItem::countersText() const
{
    const QLocale locale;
    switch (m_runState) {
    case NodeRunState::Idle:
        return {};
    case NodeRunState::Failed:
        return QApplication::translate("weir::ui", "failed · in %1 · out %2")
            .arg(locale.toString(m_in), locale.toString(m_out));
    case NodeRunState::Running:
    case NodeRunState::Finished:
        break;
    }
    return QApplication::translate("weir::ui", "in %1 · out %2")
        .arg(locale.toString(m_in), locale.toString(m_out));
}

void NodeItem::setLabel(const QString &label)
{
    m_label = label;
    updateToolTip();
    update();
}

void NodeItem::setProblems(const QStringList &messages)
{
    if (m_problems == messages)
        return;
    m_problems = messages;
    updateToolTip();
    update();
}

void NodeItem::setRunState(NodeRunState state, qint64 recordsIn, qint64 recordsOut)
{
    if (m_runState == state && m_in == recordsIn && m_out == recordsOut)
        return;
    m_runState = state;
    m_in = recordsIn;
    m_out = recordsOut;
    update();
}

void NodeItem::setPosFromModel(QPointF position)
{
    m_fromModel = true;
    setPos(position);
    m_fromModel = false;
}

void NodeItem::detach(EdgeItem *edge)
{
    m_edges.erase(std::remove(m_edges.begin(), m_edges.end(), edge), m_edges.end());
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionChange && !m_fromModel) {
        const QPointF p = value.toPointF();
        return QPointF(std::round(p.x() / kGrid) * kGrid, std::round(p.y() / kGrid) * kGrid);
    }
    if (change == ItemPositionHasChanged) {
        for (EdgeItem *edge : m_edges)
            edge->updatePath();
    }
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::updateToolTip()
{
    QString tip =
        QStringLiteral("<b>%1</b> (%2)<br>%3")
            .arg(m_id.toHtmlEscaped(), m_typeName.toHtmlEscaped(), m_description.toHtmlEscaped());
    for (const QString &p : m_problems)
        tip += QStringLiteral("<br><span style='color:#d03b3b'>● %1</span>").arg(p.toHtmlEscaped());
    setToolTip(tip);
}

} // namespace weir::ui
