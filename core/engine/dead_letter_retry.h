#pragma once

// Retrying dead letters: each record goes back into the node it failed in, with everything
// downstream of that node, in one run per (pipeline file, node). A record that gets through
// leaves the queue; one that fails again stays with one more attempt (or moves to the node
// where it failed now). Runs on the calling thread and waits for the engine; the calling
// thread must not be a GUI thread that has to stay responsive.

#include "model/node_type_registry.h"
#include "state/state_store.h"

#include <QStringList>
#include <atomic>
#include <vector>

namespace weir::engine {

struct RetryReport
{
    qint64 retried = 0;
    qint64 landed = 0;        // through the pipeline, entry removed
    qint64 failedAgain = 0;   // still (or again) in the queue
    QStringList problems;     // what kept a group from being retried at all
    bool interrupted = false; // stopped on request: entries not counted stay in the queue
};

// Exactly once: each retried record carries a position of its own (entry and attempt) that
// the sinks commit with it, so a retry that crashed or was stopped after a sink committed a
// record skips it when run again, and only then removes its entry. `stop`, when set, ends the
// retry promptly; the report then says interrupted.
RetryReport retryDeadLetters(state::StateStore &store,
                             const std::vector<state::DeadLetterEntry> &entries,
                             const model::NodeTypeRegistry &registry,
                             const std::atomic<bool> *stop = nullptr);

} // namespace weir::engine
