// The palette: node types grouped by category exactly as the registry has them, a search
// that hides what does not match (and categories left empty), drags that carry the type id,
// and activation by double-click or Enter.

#include "common/node_style.h"
#include "model/node_type_registry.h"
#include "panels/node_type_model.h"
#include "panels/palette_widget.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTest>
#include <QTreeView>
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
    QCOMPARE(groups[0].typeIds.size(), 4);
    QCOMPARE(groups[1].typeIds.size(), 6);
    QCOMPARE(groups[2].typeIds.size(), 2);

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
    QTest::keyClicks(f.search, "kafka");
    QCOMPARE(f.view->model()->rowCount(), 0);
    auto *none = f.palette->findChild<QLabel *>("paletteNoMatch");
    QVERIFY(none->isVisible());
    QVERIFY(!f.view->isVisible());
    QCOMPARE(none->text(), QStringLiteral("No node type matches “kafka”."));
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
