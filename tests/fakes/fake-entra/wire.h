// Entra's wire format for responses: JSON bodies with its headers, and the
// error shape of the token endpoints:
//   {"error","error_description":"AADSTSnnnn: ...\r\nTrace ID: ...\r\nCorrelation ID: ...\r\nTimestamp: ...",
//    "error_codes":[nnnn],"timestamp","trace_id","correlation_id","error_uri"}
#pragma once

#include <httplib.h>

#include <cstdint>
#include <string>

namespace aks::fake_entra {

// "2024-05-01 12:34:56Z", the format of Entra's timestamps.
std::string entra_timestamp(std::int64_t epoch);

std::string entra_error_body(const std::string& error, std::int64_t code,
                             const std::string& message);

// Sets status, body and Entra's usual headers (no-store, x-ms-request-id).
void send_json(httplib::Response& res, int status, const std::string& body);
void send_entra_error(httplib::Response& res, int status, const std::string& error,
                      std::int64_t code, const std::string& message);
void send_html(httplib::Response& res, int status, const std::string& html);

// Missing form field: 400 invalid_request AADSTS900144.
void send_missing_parameter(httplib::Response& res, const std::string& name);

std::string html_escape(const std::string& s);

}  // namespace aks::fake_entra
