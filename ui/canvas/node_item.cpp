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
#include <array>
#include <cmath>

namespace weir::ui {

namespace {

constexpr qreal kGrid = 20;
constexpr qreal kRadius = 8;
constexpr qreal kStrip = 6;
constexpr qreal kTextLeft = kStrip + 10 + 24 + 8; // after the icon
constexpr qreal kTextWidth = NodeItem::width - kTextLeft - 10;

QColor stateColor(NodeRunState state, const QPalette &palette)
{
    switch (state) {
    case NodeRunState::Running:
        return {0x2b, 0x83, 0xc6};
    case NodeRunState::Lagging:
        return {0xc7, 0x7c, 0x02};
    case NodeRunState::Erroring:
        return {0xd9, 0x5d, 0x1e};
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

// Fonts and metrics of the card's text, derived once from the application font: building
// them per paint showed up in the frame time of a 2,000-node canvas.
struct Fonts
{
    QFont title;
    QFont small;
    QFont badge;
    qreal titleHeight = 0;
    qreal smallHeight = 0;
};

const Fonts &fonts()
{
    static const Fonts built = [] {
        Fonts f;
        f.title = QApplication::font();
        f.title.setBold(true);
        f.small = QApplication::font();
        f.small.setPointSizeF(f.small.pointSizeF() * 0.85);
        f.badge = f.title;
        f.badge.setPointSizeF(f.badge.pointSizeF() * 0.8);
        f.titleHeight = QFontMetricsF(f.title).height();
        f.smallHeight = QFontMetricsF(f.small).height();
        return f;
    }();
    return built;
}

// The category icon at card size, rendered once per category (sharp at 2x as well).
const QPixmap &categoryPixmap(model::NodeCategory category)
{
    static std::array<QPixmap, 3> cache;
    QPixmap &pixmap = cache.at(static_cast<std::size_t>(category));
    if (pixmap.isNull())
        pixmap = categoryIcon(category).pixmap(QSize(24, 24), 2.0);
    return pixmap;
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
    updateTexts();
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
    // The problem badge shows at every zoom: it is how problems are found in a big pipeline.
    if (!m_problems.isEmpty()) {
        const QRectF badge(width - 12, -8, 20, 20);
        painter->setPen(QPen(palette.color(QPalette::Base), 2));
        painter->setBrush(QColor(0xd0, 0x3b, 0x3b));
        painter->drawEllipse(badge);
        if (lod >= 0.5) {
            painter->setFont(fonts().badge);
            painter->setPen(Qt::white);
            painter->drawText(badge, Qt::AlignCenter, QString::number(m_problems.size()));
        }
    }
    if (lod < 0.5)
        return; // far out: the card and its colour say enough

    painter->drawPixmap(QRectF(kStrip + 10, 12, 24, 24), categoryPixmap(m_category), QRectF());
    const Fonts &f = fonts();
    painter->setFont(f.title);
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(QRectF(kTextLeft, 8, kTextWidth, f.titleHeight),
                      Qt::AlignLeft | Qt::AlignVCenter, m_titleText);
    painter->setFont(f.small);
    QColor muted = palette.color(QPalette::Text);
    muted.setAlphaF(0.65);
    painter->setPen(muted);
    painter->drawText(QRectF(kTextLeft, 8 + f.titleHeight, kTextWidth, f.smallHeight),
                      Qt::AlignLeft | Qt::AlignVCenter, m_typeText);
    if (m_runState != NodeRunState::Idle) {
        const bool alarming = m_runState == NodeRunState::Failed ||
                              m_runState == NodeRunState::Lagging ||
                              m_runState == NodeRunState::Erroring;
        painter->setPen(alarming ? stateColor(m_runState, palette) : palette.color(QPalette::Text));
        painter->drawText(
            QRectF(kStrip + 10, height - f.smallHeight - 8, width - kStrip - 20, f.smallHeight),
            Qt::AlignLeft | Qt::AlignVCenter, m_countersText);
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
    case NodeRunState::Lagging:
        return QApplication::translate("weir::ui", "lagging · in %1 · out %2")
            .arg(locale.toString(m_in), locale.toString(m_out));
    case NodeRunState::Erroring:
        return QApplication::translate("weir::ui", "errors · in %1 · out %2")
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
    updateTexts();
    updateToolTip();
    update();
}

void NodeItem::updateTexts()
{
    const Fonts &f = fonts();
    m_titleText = QFontMetricsF(f.title).elidedText(m_label.isEmpty() ? m_id : m_label,
                                                    Qt::ElideRight, kTextWidth);
    m_typeText = QFontMetricsF(f.small).elidedText(m_typeName, Qt::ElideRight, kTextWidth);
    m_countersText =
        QFontMetricsF(f.small).elidedText(countersText(), Qt::ElideRight, width - kStrip - 20);
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
    updateTexts();
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
