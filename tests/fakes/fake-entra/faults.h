// Injected faults: queued by POST /_control/fault (fields in state.h), consumed in order by the
// Entra endpoints (never by /_control).
#pragma once

#include "tests/fakes/fake-entra/state.h"

#include <httplib.h>
#include <picojson.h>

#include <string>

namespace aks::fake_entra {

// Parses a /_control/fault body; throws std::invalid_argument with a one-line reason.
Fault parse_fault(const picojson::object& o);

// When the first queued fault matching this request exists: consumes one use
// of it, sleeps its delay, and (unless it is delay-only) writes its answer.
// Returns true when the response has been written.
bool apply_fault(Fake& fake, const httplib::Request& req, httplib::Response& res);

}  // namespace aks::fake_entra
