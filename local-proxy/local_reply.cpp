#include "local-proxy/local_reply.h"

#include <picojson.h>

namespace aks::proxy {

std::string status_json(int code, const std::string& reason, const std::string& message) {
    picojson::object o;
    o["kind"] = picojson::value("Status");
    o["apiVersion"] = picojson::value("v1");
    o["metadata"] = picojson::value(picojson::object{});
    o["status"] = picojson::value("Failure");
    o["message"] = picojson::value(message);
    o["reason"] = picojson::value(reason);
    o["code"] = picojson::value(static_cast<double>(code));
    return picojson::value(o).serialize();
}

LocalResponse status_response(http::status status, const std::string& reason, const std::string& message,
                              unsigned version, bool keep_alive) {
    LocalResponse res{status, version};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.body() = status_json(static_cast<int>(status), reason, message) + "\n";
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

LocalResponse text_response(http::status status, const std::string& body, unsigned version, bool keep_alive) {
    LocalResponse res{status, version};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

}  // namespace aks::proxy
