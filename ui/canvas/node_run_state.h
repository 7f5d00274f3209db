#pragma once

// What the canvas shows about a node during and after a run.

namespace weir::ui {

enum class NodeRunState
{
    Idle,
    Running,
    Finished,
    Failed
};

} // namespace weir::ui
