// Canvas benchmark (not a unit test): a generated 2,000-node / 2,500-edge pipeline — time to
// open it (parse the file, build the document and the scene), then the frame time of a
// scripted pan and zoom rendered offscreen at 1600x1000 (each frame is a full repaint of the
// view's viewport into an image). `--smoke` runs a small graph to check it works.

#include "canvas/pipeline_scene.h"
#include "canvas/pipeline_view.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "model/pipeline_json.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace weir;

namespace {

// Columns of nodes: CSV sources, then filters, then SQLite sinks; each node is fed by its
// row's neighbour in the column before, some by the next row's too.
model::Pipeline generate(int rows, int columns, int extraEdges)
{
    model::Pipeline p;
    p.name = QStringLiteral("generated");
    const auto id = [](int c, int r) { return QStringLiteral("n%1_%2").arg(c).arg(r); };
    for (int c = 0; c < columns; ++c) {
        for (int r = 0; r < rows; ++r) {
            model::NodeSpec n;
            n.id = id(c, r);
            n.type = c == 0             ? QStringLiteral("csv.source")
                     : c == columns - 1 ? QStringLiteral("sqlite.sink")
                                        : QStringLiteral("filter");
            n.label = n.id;
            n.x = c * 260.0;
            n.y = r * 120.0;
            p.nodes.push_back(n);
        }
    }
    const auto port = [](const QString &node, const char *name) {
        return model::PortRef{node, QLatin1String(name)};
    };
    for (int c = 1; c < columns; ++c)
        for (int r = 0; r < rows; ++r)
            p.edges.push_back({port(id(c - 1, r), "out"), port(id(c, r), "in")});
    for (int e = 0; e < extraEdges; ++e) {
        const int c = 1 + e % (columns - 1);
        const int r = (e / (columns - 1)) % rows;
        p.edges.push_back({port(id(c - 1, (r + 1) % rows), "out"), port(id(c, r), "in")});
    }
    return p;
}

double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
    const int rows = smoke ? 10 : 200, columns = 10, extra = rows * 7 / 2;
    const model::Pipeline generated = generate(rows, columns, extra);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("big.weir.json"));
    if (!model::savePipelineFile(generated, file))
        return 1;

    ui::PipelineDocument doc(model::NodeTypeRegistry::builtin());
    ui::PipelineScene scene(&doc);
    ui::PipelineView view(&scene);
    view.resize(1600, 1000);
    view.show();

    QElapsedTimer timer;
    timer.start();
    if (!doc.load(file))
        return 1;
    // The scene indexes new items from the event loop; the first frame needs that done.
    QCoreApplication::processEvents();
    const double openMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    const auto nodes = doc.pipeline().nodes.size();
    const auto edges = doc.pipeline().edges.size();
    if (static_cast<int>(nodes) != rows * columns ||
        scene.edgeItemCount() != static_cast<int>(edges))
        return 1;

    // Scripted: pan across at 100 %, zoom out step by step to the whole graph, pan there,
    // zoom back in.
    // Each frame paints the whole viewport into one reused image, as a backing store would.
    std::vector<double> frames;
    QImage target(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    const auto frame = [&] {
        timer.restart();
        view.viewport()->render(&target);
        frames.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    };
    view.resetZoom();
    view.centerOn(0, 0);
    frame(); // first paint fills the caches; reported separately
    const double firstMs = frames.front();
    frames.clear();
    for (int i = 0; i < 30; ++i) {
        view.centerOn(i * 80.0, i * 60.0);
        frame();
    }
    for (int i = 0; i < 20; ++i) {
        view.zoomOut();
        frame();
    }
    for (int i = 0; i < 30; ++i) {
        view.centerOn(1200 + i * 40.0, 12000 - i * 300.0);
        frame();
    }
    for (int i = 0; i < 20; ++i) {
        view.zoomIn();
        frame();
    }
    std::printf("canvas: %zu nodes, %zu edges\n", nodes, edges);
    std::printf("open (parse file + document + scene + index): %.1f ms\n", openMs);
    std::printf("first frame: %.1f ms\n", firstMs);
    std::printf("frames: %zu, p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", frames.size(),
                percentile(frames, 0.5), percentile(frames, 0.95),
                *std::max_element(frames.begin(), frames.end()));
    const char *phases[] = {"pan at 100%", "zoom out", "pan zoomed out", "zoom in"};
    const std::size_t bounds[] = {0, 30, 50, 80, 100};
    for (int i = 0; i < 4; ++i) {
        const std::vector<double> part(frames.begin() + static_cast<long>(bounds[i]),
                                       frames.begin() + static_cast<long>(bounds[i + 1]));
        std::printf("  %-15s p50 %.2f ms, max %.2f ms\n", phases[i], percentile(part, 0.5),
                    *std::max_element(part.begin(), part.end()));
    }
    return 0;
}
