// The palette: node types grouped by category exactly as the registry has them, a search
// that hides what does not match (and categories left empty), drags that carry the type id,
// and activation by double-click or Enter — which adds the node after the selected one (an
// edge when the ports fit) or in free space, one undo step each.

#include "canvas/node_item.h"
#include "canvas/pipeline_scene.h"
#include "canvas/pipeline_view.h"
#include "common/node_style.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "panels/node_type_model.h"
#include "panels/palette_widget.h"
#include "support/test_support.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>
#include <cmath>
#include <map>
#include <memory>

using namespace weir;
using namespace weir::ui;

namespace {

struct Shown
{
    QString category;
    QStringList typeIds;
};

// What the view shows: category titles with the ids of their visible types.
std::vector<Shown> shown(const QTreeView *view)
{
    std::vector<Shown> out;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex category = model->index(row, 0);
        Shown group{category.data().toString(), {}};
        for (int child = 0; child < model->rowCount(category); ++child)
            group.typeIds.append(
                model->index(child, 0, category).data(NodeTypeModel::TypeIdRole).toString());
        out.push_back(group);
    }
    return out;
}

QStringList titles(const std::vector<Shown> &groups)
{
    QStringList out;
    for (const Shown &g : groups)
        out.append(g.category);
    return out;
}

QModelIndex typeIndex(const QTreeView *view, const QString &typeId)
{
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex category = model->index(row, 0);
        for (int child = 0; child < model->rowCount(category); ++child) {
            const QModelIndex index = model->index(child, 0, category);
            if (index.data(NodeTypeModel::TypeIdRole).toString() == typeId)
                return index;
        }
    }
    return {};
}

struct Fixture
{
    std::unique_ptr<PaletteWidget> palette;
    QLineEdit *search = nullptr;
    QTreeView *view = nullptr;

    Fixture()
    {
        palette = std::make_unique<PaletteWidget>(model::NodeTypeRegistry::builtin());
        palette->resize(280, 640);
        palette->show();
        QApplication::setActiveWindow(palette.get());
        if (!QTest::qWaitForWindowActive(palette.get()))
            qWarning("palette window did not become active");
        search = palette->findChild<QLineEdit *>("paletteSearch");
        view = palette->findChild<QTreeView *>("paletteView");
    }
};

// A palette beside a canvas, wired as the main window wires them.
struct Designer
{
    PipelineDocument doc{model::NodeTypeRegistry::builtin()};
    PipelineScene scene{&doc};
    PipelineView view{&scene};
    Fixture palette;

    Designer()
    {
        view.resize(900, 600);
        view.show();
        QObject::connect(palette.palette.get(), &PaletteWidget::nodeTypeActivated, &view,
                         &PipelineView::addNodeFromPalette);
    }

    // As a user does it: a press and release, then the double-click.
    void doubleClick(const QString &typeId)
    {
        const QModelIndex index = typeIndex(palette.view, typeId);
        QVERIFY2(index.isValid(), qPrintable(typeId));
        palette.view->scrollTo(index);
        const QPoint at = palette.view->visualRect(index).center();
        QTest::mouseClick(palette.view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(palette.view->viewport(), Qt::LeftButton, {}, at);
    }

    QPointF position(const QString &id) const
    {
        const model::NodeSpec *n = doc.pipeline().node(id);
        return n ? QPointF(n->x, n->y) : QPointF(-1e9, -1e9);
    }
};

QRectF card(QPointF topLeft)
{
    return {topLeft, QSizeF(NodeItem::width, NodeItem::height)};
}

QStringList edgeTexts(const model::Pipeline &p)
{
    QStringList out;
    for (const model::EdgeSpec &e : p.edges)
        out << e.from.toString() + QStringLiteral(" -> ") + e.to.toString();
    return out;
}

// No two cards of the pipeline overlap.
bool noneOverlap(const model::Pipeline &p)
{
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        for (std::size_t j = i + 1; j < p.nodes.size(); ++j) {
            if (card(QPointF(p.nodes[i].x, p.nodes[i].y))
                    .intersects(card(QPointF(p.nodes[j].x, p.nodes[j].y))))
                return false;
        }
    }
    return true;
}

} // namespace

class TestPalette : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void groupsMatchTheRegistry();
    void filtering_data();
    void filtering();
    void nothingMatches();
    void dragCarriesTheTypeId();
    void doubleClickAndEnterActivate();
    void downArrowGoesFromSearchToList();
    void doubleClicksInARowBuildAChain();
    void doubleClickFindsFreeSpace();
    void screenshot();
};

void TestPalette::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
}

void TestPalette::groupsMatchTheRegistry()
{
    Fixture f;
    QVERIFY(f.search && f.view);
    QCOMPARE(f.search->placeholderText(), QStringLiteral("Search node types"));
    std::map<model::NodeCategory, QStringList> expected;
    for (const model::NodeType *type : model::NodeTypeRegistry::builtin().types())
        expected[type->category].append(type->id);
    const std::vector<Shown> groups = shown(f.view);
    QCOMPARE(titles(groups), QStringList({"Sources", "Transforms", "Targets"}));
    const model::NodeCategory order[] = {model::NodeCategory::Source,
                                         model::NodeCategory::Transform, model::NodeCategory::Sink};
    int total = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        QStringList ids = groups[i].typeIds;
        QStringList want = expected[order[i]];
        QCOMPARE(ids.size(), want.size());
        ids.sort();
        want.sort();
        QCOMPARE(ids, want);
        total += static_cast<int>(ids.size());
    }
    QCOMPARE(total, static_cast<int>(model::NodeTypeRegistry::builtin().types().size()));
    QCOMPARE(groups[0].typeIds.size(), 7);
    QCOMPARE(groups[1].typeIds.size(), 6);
    QCOMPARE(groups[2].typeIds.size(), 3);

    // Each type row: its name, the category icon, and a tooltip with id and description.
    const QModelIndex csv = typeIndex(f.view, "csv.source");
    QCOMPARE(csv.data().toString(), QStringLiteral("CSV file"));
    QVERIFY(!csv.data(Qt::DecorationRole).value<QIcon>().isNull());
    const QString tip = csv.data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains("csv.source"));
    QVERIFY(tip.contains("Reads an RFC 4180 CSV file"));
    QVERIFY(f.view->isExpanded(f.view->model()->index(0, 0)));
}

void TestPalette::filtering_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("categories");
    QTest::addColumn<QStringList>("typeIds");
    QTest::newRow("by display name, any case")
        << "zone FILES" << QStringList{"Targets"} << QStringList{"zones.sink"};
    QTest::newRow("by id") << "sqlite." << QStringList{"Sources", "Targets"}
                           << QStringList{"sqlite.source", "sqlite.sink"};
    QTest::newRow("by description") << "md5" << QStringList{"Transforms"} << QStringList{"hash"};
    QTest::newRow("every word must match") << "csv sha256" << QStringList{} << QStringList{};
    QTest::newRow("in several categories")
        << "sqlite" << QStringList{"Sources", "Transforms", "Targets"}
        << QStringList{"sqlite.source", "filter", "map", "sql", "sqlite.sink"};
    QTest::newRow("words across fields")
        << "records dedupe" << QStringList{"Transforms"} << QStringList{"dedupe"};
    QTest::newRow("blank shows all")
        << "   " << QStringList{"Sources", "Transforms", "Targets"} << QStringList{};
}

void TestPalette::filtering()
{
    QFETCH(QString, text);
    QFETCH(QStringList, categories);
    QFETCH(QStringList, typeIds);
    Fixture f;
    f.palette->setFilterText(text);
    QCOMPARE(f.search->text(), text);
    const std::vector<Shown> groups = shown(f.view);
    QCOMPARE(titles(groups), categories);
    if (typeIds.isEmpty() && !categories.isEmpty())
        return; // everything shows; counted in groupsMatchTheRegistry
    QStringList ids;
    for (const Shown &g : groups)
        ids += g.typeIds;
    QCOMPARE(ids, typeIds);
}

void TestPalette::nothingMatches()
{
    Fixture f;
    QTest::keyClicks(f.search, "mqtt");
    QCOMPARE(f.view->model()->rowCount(), 0);
    auto *none = f.palette->findChild<QLabel *>("paletteNoMatch");
    QVERIFY(none->isVisible());
    QVERIFY(!f.view->isVisible());
    QCOMPARE(none->text(), QStringLiteral("No node type matches “mqtt”."));
    f.search->clear();
    QCOMPARE(f.view->model()->rowCount(), 3);
    QVERIFY(f.view->isVisible());
    QVERIFY(!none->isVisible());
}

void TestPalette::dragCarriesTheTypeId()
{
    Fixture f;
    const QModelIndex index = typeIndex(f.view, "zones.sink");
    QVERIFY(index.isValid());
    QVERIFY(f.view->model()->flags(index) & Qt::ItemIsDragEnabled);
    QCOMPARE(f.view->model()->mimeTypes(),
             QStringList{QStringLiteral("application/x-weir-node-type")});
    std::unique_ptr<QMimeData> mime(f.view->model()->mimeData({index}));
    QVERIFY(mime);
    QCOMPARE(mime->formats(), QStringList{QStringLiteral("application/x-weir-node-type")});
    QCOMPARE(mime->data("application/x-weir-node-type"), QByteArray("zones.sink"));
    QVERIFY(!mime->hasText());

    // Categories are headings: they neither drag nor select.
    const QModelIndex category = f.view->model()->index(0, 0);
    QVERIFY(!(f.view->model()->flags(category) & Qt::ItemIsDragEnabled));
    QVERIFY(!(f.view->model()->flags(category) & Qt::ItemIsSelectable));
    QCOMPARE(f.view->model()->mimeData({category}), nullptr);
}

void TestPalette::doubleClickAndEnterActivate()
{
    Fixture f;
    QSignalSpy activated(f.palette.get(), &PaletteWidget::nodeTypeActivated);
    const QModelIndex filter = typeIndex(f.view, "filter");
    const QPoint at = f.view->visualRect(filter).center();
    // A real double-click starts with a press; QTest's widget version sends only the second.
    QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 0);
    QTest::mouseDClick(f.view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("filter"));

    f.view->setFocus();
    f.view->setCurrentIndex(typeIndex(f.view, "sql"));
    QTest::keyClick(f.view, Qt::Key_Return);
    QCOMPARE(activated.count(), 2);
    QCOMPARE(activated.at(1).at(0).toString(), QStringLiteral("sql"));

    // A category heading activates nothing.
    f.view->setCurrentIndex(f.view->model()->index(0, 0));
    QTest::keyClick(f.view, Qt::Key_Enter);
    const QPoint heading = f.view->visualRect(f.view->model()->index(1, 0)).center();
    QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, heading);
    QTest::mouseDClick(f.view->viewport(), Qt::LeftButton, {}, heading);
    QCOMPARE(activated.count(), 2);

    // Enter in the search box adds the first match.
    f.search->setFocus();
    QTest::keyClicks(f.search, "json");
    QTest::keyClick(f.search, Qt::Key_Return);
    QCOMPARE(activated.count(), 3);
    QCOMPARE(activated.at(2).at(0).toString(), QStringLiteral("jsonl.source"));
}

void TestPalette::downArrowGoesFromSearchToList()
{
    Fixture f;
    f.search->setFocus();
    QTest::keyClicks(f.search, "sqlite.");
    QTest::keyClick(f.search, Qt::Key_Down);
    QVERIFY(f.view->hasFocus());
    QCOMPARE(f.view->currentIndex().data(NodeTypeModel::TypeIdRole).toString(),
             QStringLiteral("sqlite.source"));
    QTest::keyClick(f.view, Qt::Key_Down);
    QTest::keyClick(f.view, Qt::Key_Down);
    QCOMPARE(f.view->currentIndex().data(NodeTypeModel::TypeIdRole).toString(),
             QStringLiteral("sqlite.sink"));
}

void TestPalette::doubleClicksInARowBuildAChain()
{
    Designer d;
    const QByteArray empty = d.doc.toJson();
    const QPointF centre = d.view.visibleCentre();
    d.doubleClick("csv.source");
    const QByteArray one = d.doc.toJson();
    d.doubleClick("filter");
    const QByteArray two = d.doc.toJson();
    d.doubleClick("sqlite.sink");
    const QByteArray three = d.doc.toJson();

    // The first lands in the middle of the view (nothing to follow), each next one a layout
    // column to the right of the one before, which it takes over as the selection.
    QCOMPARE(d.doc.pipeline().nodes.size(), std::size_t(3));
    const QPointF first(std::round((centre.x() - NodeItem::width / 2) / 20) * 20,
                        std::round((centre.y() - NodeItem::height / 2) / 20) * 20);
    QCOMPARE(d.position("csv"), first);
    QCOMPARE(d.position("filter"), first + QPointF(260, 0));
    QCOMPARE(d.position("sqlite"), first + QPointF(520, 0));
    QVERIFY(noneOverlap(d.doc.pipeline()));
    QCOMPARE(edgeTexts(d.doc.pipeline()),
             QStringList({"csv.out -> filter.in", "filter.out -> sqlite.in"}));
    QCOMPARE(d.scene.selectedNodeIds(), QStringList{"sqlite"});
    QVERIFY(d.view.viewport()->rect().contains(
        d.view.mapFromScene(d.scene.nodeItem("sqlite")->sceneBoundingRect()).boundingRect()));

    // One undo step per double-click: the node and its edge go together.
    QCOMPARE(d.doc.undoStack()->count(), 3);
    d.doc.undoStack()->undo();
    QCOMPARE(d.doc.toJson(), two);
    QVERIFY(!d.doc.pipeline().node("sqlite"));
    QCOMPARE(edgeTexts(d.doc.pipeline()), QStringList{"csv.out -> filter.in"});
    d.doc.undoStack()->undo();
    QCOMPARE(d.doc.toJson(), one);
    QVERIFY(d.doc.pipeline().edges.empty());
    d.doc.undoStack()->redo();
    d.doc.undoStack()->redo();
    QCOMPARE(d.doc.toJson(), three);
    d.doc.undoStack()->undo();
    d.doc.undoStack()->undo();
    d.doc.undoStack()->undo();
    QCOMPARE(d.doc.toJson(), empty);
    QCOMPARE(d.scene.edgeItemCount(), 0);
}

void TestPalette::doubleClickFindsFreeSpace()
{
    Designer d;
    QVERIFY(d.doc.load(test::examplePath()));
    // Cards at x 0, 240, 480 and 720, y 0; the view centred on the second.
    d.view.centreOnNode("check");
    QVERIFY(d.scene.selectedNodeIds().isEmpty());

    // Nothing selected: the free spot nearest the middle of the view, here just above.
    d.doubleClick("hash");
    QCOMPARE(d.position("hash"), QPointF(240, -120));
    QCOMPARE(d.doc.pipeline().edges.size(), std::size_t(3));
    QCOMPARE(d.scene.selectedNodeIds(), QStringList{"hash"});

    // Right of the selected dedupe is the target's card: the next free row below it.
    d.scene.selectOnly({"latest"});
    const QByteArray before = d.doc.toJson();
    d.doubleClick("map");
    QCOMPARE(d.position("map"), QPointF(740, 120));
    QCOMPARE(edgeTexts(d.doc.pipeline()).last(), QStringLiteral("latest.out -> map.in"));
    const QByteArray after = d.doc.toJson();
    d.doc.undoStack()->undo();
    QCOMPARE(d.doc.toJson(), before);
    d.doc.undoStack()->redo();
    QCOMPARE(d.doc.toJson(), after);

    // Ports that do not fit: a target has no output, a source no input. Placed, not joined.
    d.scene.selectOnly({"orders_db"});
    d.doubleClick("filter");
    QCOMPARE(d.position("filter"), QPointF(980, 0));
    d.doubleClick("jsonl.source");
    QCOMPARE(d.position("jsonl"), QPointF(1240, 0));
    QCOMPARE(d.doc.pipeline().edges.size(), std::size_t(4));
    QCOMPARE(d.doc.pipeline().nodes.size(), std::size_t(8));
    QVERIFY(noneOverlap(d.doc.pipeline()));

    const QString dir = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QVERIFY(QDir().mkpath(dir));
    d.view.fitToView();
    QVERIFY(d.view.grab().save(dir + QStringLiteral("/palette_added_nodes.png")));
}

void TestPalette::screenshot()
{
    Fixture f;
    f.palette->resize(260, 470);
    f.view->setCurrentIndex(typeIndex(f.view, "validate"));
    const QString dir = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(f.palette->grab().save(dir + QStringLiteral("/palette.png")));
    f.palette->setFilterText("sqlite");
    QVERIFY(f.palette->grab().save(dir + QStringLiteral("/palette_filtered.png")));
}

QTEST_MAIN(TestPalette)
#include "tst_palette.moc"
