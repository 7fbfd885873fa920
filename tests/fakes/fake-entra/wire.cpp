#include "tests/fakes/fake-entra/wire.h"

#include "tests/fakes/fake-entra/crypto.h"
#include "tests/fakes/fake-entra/json.h"

#include <ctime>

namespace aks::fake_entra {

std::string entra_timestamp(std::int64_t epoch) {
    std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
    return buf;
}

std::string entra_error_body(const std::string& error, std::int64_t code,
                             const std::string& message) {
    const std::string trace = random_uuid(), correlation = random_uuid();
    const std::string ts = entra_timestamp(std::time(nullptr));
    picojson::array codes;
    codes.emplace_back(static_cast<double>(code));
    return OrderedJson()
        .add("error", error)
        .add("error_description", "AADSTS" + std::to_string(code) + ": " + message +
                                      "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " +
                                      correlation + "\r\nTimestamp: " + ts)
        .add("error_codes", picojson::value(codes))
        .add("timestamp", ts)
        .add("trace_id", trace)
        .add("correlation_id", correlation)
        .add("error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(code))
        .str();
}

void send_json(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store, no-cache");
    res.set_header("Pragma", "no-cache");
    res.set_header("x-ms-request-id", random_uuid());
    res.set_content(body, "application/json; charset=utf-8");
}

void send_entra_error(httplib::Response& res, int status, const std::string& error,
                      std::int64_t code, const std::string& message) {
    send_json(res, status, entra_error_body(error, code, message));
}

void send_html(httplib::Response& res, int status, const std::string& html) {
    res.status = status;
    res.set_header("Cache-Control", "no-store, no-cache");
    res.set_content(html, "text/html; charset=utf-8");
}

void send_missing_parameter(httplib::Response& res, const std::string& name) {
    send_entra_error(res, 400, "invalid_request", 900144,
                     "The request body must contain the following parameter: '" + name + "'.");
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace aks::fake_entra
