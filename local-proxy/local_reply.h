#pragma once
// Answers the proxy gives itself (refusals, missing token, upstream failures):
// Kubernetes metav1.Status JSON, so kubectl and client libraries show the
// message as they show the API server's own errors.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

namespace aks::proxy {

namespace http = boost::beast::http;
using LocalResponse = http::response<http::string_body>;

// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
//  "message":...,"reason":...,"code":...}
std::string status_json(int code, const std::string& reason, const std::string& message);

LocalResponse status_response(http::status status, const std::string& reason, const std::string& message,
                              unsigned version, bool keep_alive);
LocalResponse text_response(http::status status, const std::string& body, unsigned version, bool keep_alive);

}  // namespace aks::proxy
