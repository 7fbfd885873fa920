#pragma once
// Fetch Metadata resource isolation (W3C Fetch Metadata Request Headers,
// https://w3c.github.io/webappsec-fetch-metadata/): browsers mark every
// request to a potentially trustworthy origin — loopback included — with
// Sec-Fetch-Site (Chromium 76+, Firefox 90+, Safari 16.4+), which a page
// cannot set or remove. The Origin check (header_rules.h origin_allowed)
// misses what a page sends without Origin: no-cors GETs (fetch, <img>,
// <script>) and navigations. So aks-proxy admits only
//   same-origin  the proxy's own pages (Headlamp's frontend, its WebSockets)
//   none         the user: a typed URL, a bookmark, a URL another program opened
//   no field     kubectl, curl, client libraries (not browsers)
// and refuses cross-site and same-site (a page on another port of the same
// host is same-site), more than one field, and any other value.
#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string>

namespace aks::proxy {

// nullopt: allowed; otherwise why the request is refused (one line, for a 403).
std::optional<std::string> fetch_site_refusal(const boost::beast::http::fields& f);

}  // namespace aks::proxy
