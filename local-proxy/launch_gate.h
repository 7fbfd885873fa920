#pragma once
// Headlamp mode's admission by the per-run secret (launch_session.h), apart
// from the I/O so it is table-tested: the launch URL answers with the session
// cookie and a redirect to Headlamp's base path; any other request without
// the cookie gets the 401 page; the rest go upstream.
#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string>

#include "local-proxy/launch_session.h"
#include "local-proxy/local_reply.h"

namespace aks::proxy {

// Every Cookie header of the request, joined with "; " (HTTP/1.1 clients
// send one; nothing forbids more).
std::string joined_cookies(const http::fields& f);

// nullopt: the request carries this run's session cookie and goes upstream.
std::optional<LocalResponse> launch_gate(const LaunchSession& session, http::verb method, const std::string& target,
                                         const http::fields& f, unsigned version, bool keep_alive);

}  // namespace aks::proxy
