#pragma once

// Crash points for the crash tests: when the environment variable WEIR_CRASH_AT names a point,
// the process kills itself there with SIGKILL — the same as `kill -9` at that exact instant,
// which a timed kill from outside can only hit by luck. Unset, a point costs one cached check.

namespace weir::common {

void crashPoint(const char *name);

} // namespace weir::common
