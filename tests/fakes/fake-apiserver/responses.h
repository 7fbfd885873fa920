#pragma once
// Response builders shared by handlers and the request pipeline.
#include <picojson.h>

#include <string>

#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

Reply json_reply(http::status status, const picojson::value& body);
// A Status body: the HTTP status is its "code".
Reply status_reply(const picojson::value& status);
Reply text_reply(http::status status, std::string body);

}  // namespace aks::fake_apiserver
