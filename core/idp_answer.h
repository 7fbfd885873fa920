#pragma once
// One classification of identity-provider answers, used by every flow
// through HttpClient (DESIGN.md "Identity-provider failures"):
//   usable       a 2xx answer holding what the request asked for;
//   oauth_error  an OAuth error the provider means (invalid_grant, ...);
//   transient    5xx, 429, 408, and anything that is not the expected JSON
//                (a proxy's or captive portal's HTML, truncated or garbage
//                bodies, JSON without the asked-for field): retried;
//   final_status a status the caller handles itself (Expect::final_statuses).
// Pure functions, table-tested in tests/unit/test_idp_answer.cpp.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/oauth_error.h"

namespace aks {

enum class AnswerKind { usable, oauth_error, transient, final_status };

// What a request expects back.
struct Expect {
    // Checks a 2xx JSON body: "" when usable, else what is wrong with it
    // ("token response has no access_token"). Empty: any JSON object will do.
    std::function<std::string(const std::string& body)> problem;
    std::vector<int> transient_statuses;  // retried like 5xx (IMDS: 404, 410)
    std::vector<int> final_statuses;      // handed back as they are (discovery: 404)
};

struct AnswerVerdict {
    AnswerKind kind = AnswerKind::usable;
    std::optional<OAuthError> error;  // oauth_error, and transient answers that carry one
    std::string detail;               // transient: what was wrong, without the status ("" when the status says it)
};

AnswerVerdict classify_answer(int status, const std::string& content_type, const std::string& body,
                              const Expect& expect);

// A token endpoint answer parse_token_response accepts.
Expect expect_token_response();
// A JSON object with a non-empty string member `field`.
Expect expect_json_field(const std::string& field);

}  // namespace aks
