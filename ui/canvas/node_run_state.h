#pragma once

// What the canvas shows about a node during and after a run.

namespace weir::ui {

enum class NodeRunState
{
    Idle,
    Running,  // healthy
    Lagging,  // running, behind its lag threshold
    Erroring, // running, with new errors or dead letters
    Finished,
    Failed
};

} // namespace weir::ui
