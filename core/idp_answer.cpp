#include "core/idp_answer.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "core/json_number.h"
#include "core/token_response.h"

namespace aks {
namespace {

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// 408 and 429 ask to come back later; 5xx is the provider's own trouble.
bool transient_status(int status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

bool looks_like_html(const std::string& content_type, const std::string& body) {
    std::string type = content_type;
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    if (type.find("html") != std::string::npos) return true;
    const auto first = body.find_first_not_of(" \t\r\n");
    return first != std::string::npos && body[first] == '<';
}

// The provider says "later" in OAuth terms (RFC 6749 §4.1.2.1).
bool transient_oauth_error(const OAuthError& e) {
    return e.error == "temporarily_unavailable" || e.error == "server_error";
}

std::string not_json(const std::string& content_type, const std::string& body) {
    if (looks_like_html(content_type, body)) return "an HTML page, not the expected JSON: a proxy or captive portal?";
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) return "an empty body";
    return "not JSON: truncated or garbage";
}

}  // namespace

AnswerVerdict classify_answer(int status, const std::string& content_type, const std::string& body,
                              const Expect& expect) {
    AnswerVerdict v;
    if (contains(expect.final_statuses, status)) {
        v.kind = AnswerKind::final_status;
        return v;
    }
    if (status >= 200 && status <= 299) {
        const auto json = parse_json(body);
        if (!json || !json->is<picojson::object>()) {
            v.kind = AnswerKind::transient;
            v.detail = not_json(content_type, body);
            return v;
        }
        if (expect.problem) {
            if (std::string problem = expect.problem(body); !problem.empty()) {
                v.kind = AnswerKind::transient;
                v.detail = std::move(problem);
            }
        }
        return v;
    }
    v.error = parse_oauth_error(body);
    if (transient_status(status) || contains(expect.transient_statuses, status) ||
        (v.error && transient_oauth_error(*v.error))) {
        v.kind = AnswerKind::transient;
        if (v.error && !v.error->error_codes.empty())
            v.detail = "AADSTS" + std::to_string(v.error->error_codes.front());
        return v;
    }
    if (v.error) {
        v.kind = AnswerKind::oauth_error;
        return v;
    }
    // No OAuth error: not the identity provider talking (a proxy, a portal, a
    // wrong URL behind a load balancer), so maybe better next time.
    v.kind = AnswerKind::transient;
    if (looks_like_html(content_type, body)) v.detail = "an HTML page, not an OAuth answer: a proxy or captive portal?";
    else if (status >= 300 && status <= 399) v.detail = "a redirect, not an OAuth answer: a proxy or captive portal?";
    else v.detail = "not an OAuth answer";
    return v;
}

Expect expect_token_response() {
    Expect e;
    e.problem = [](const std::string& body) -> std::string {
        try {
            (void)parse_token_response(body, 0);
            return {};
        } catch (const AuthError& err) {
            return err.what();
        }
    };
    return e;
}

Expect expect_json_field(const std::string& field) {
    Expect e;
    e.problem = [field](const std::string& body) -> std::string {
        const auto json = parse_json(body);
        if (json && !json_string_field(*json, field).empty()) return {};
        return "no " + field + " in the answer";
    };
    return e;
}

}  // namespace aks
