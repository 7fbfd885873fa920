#include "core/cli_token_flow.h"

#include <cctype>
#include <ctime>

#include "core/errors.h"
#include "core/json_number.h"
#include "core/jwt_claims.h"

namespace aks {
namespace {

struct Tool {
    const char* name;         // "az"
    const char* product;      // "the Azure CLI"
    const char* login;        // "az login"
    const char* token_field;  // where its JSON output has the access token
};
constexpr Tool kAz{"az", "the Azure CLI", "az login", "accessToken"};
constexpr Tool kAzd{"azd", "the Azure Developer CLI", "azd auth login", "token"};

std::string command_text(const std::vector<std::string>& argv) {
    return argv.size() >= 3 ? argv[0] + " " + argv[1] + " " + argv[2] : argv.front();
}

bool token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' ||
           c == '=';
}

// Long runs of token characters (a JWT, an opaque access or refresh token)
// are replaced: a tool's error text must not carry a credential to stderr.
// GUIDs (36) and AADSTS codes stay readable.
std::string without_tokens(const std::string& line) {
    constexpr std::size_t kLongest = 40;
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        std::size_t j = i;
        while (j < line.size() && token_char(line[j])) ++j;
        if (j == i) {
            out += line[i++];
            continue;
        }
        out += j - i >= kLongest ? std::string("[redacted]") : line.substr(i, j - i);
        i = j;
    }
    return out;
}

// The tool's own explanation: its last "ERROR:" line, else its last line.
std::string tool_error(const std::string& err) {
    std::string last, last_error;
    std::size_t start = 0;
    while (start <= err.size()) {
        std::size_t end = err.find('\n', start);
        if (end == std::string::npos) end = err.size();
        std::string line = err.substr(start, end - start);
        for (char& c : line)
            if (static_cast<unsigned char>(c) < 0x20) c = ' ';
        const auto b = line.find_first_not_of(' ');
        if (b != std::string::npos) {
            line = line.substr(b);
            last = line;
            if (line.rfind("ERROR", 0) == 0) last_error = line;
        }
        start = end + 1;
    }
    std::string out = without_tokens(last_error.empty() ? last : last_error);
    if (out.size() > 300) out = out.substr(0, 300) + "...";
    return out;
}

const std::string& run_tool(const Tool& tool, const std::vector<std::string>& argv, const LoginSettings& s,
                            const ProcessRunner& run, ProcessResult& r) {
    const std::int64_t timeout = s.timeout_seconds > 0 ? s.timeout_seconds : kCliDefaultTimeout;
    r = run ? run(argv, timeout) : run_process(argv, timeout);
    if (!r.started)
        throw UsageError(std::string(tool.name) + " (" + tool.product + ") was not found on PATH; install it or use another --login");
    if (r.timed_out)
        throw AuthError(command_text(argv) + " did not finish within " + std::to_string(timeout) +
                        "s (--timeout); is " + tool.name + " waiting for a sign-in?");
    if (r.exit_code != 0) {
        const std::string why = tool_error(r.err);
        throw AuthError(command_text(argv) + " failed" + (why.empty() ? " (exit code " + std::to_string(r.exit_code) + ")" : ": " + why) +
                        ". Advice: run '" + tool.login + "'" + (s.tenant_id.empty() ? "" : " --tenant " + s.tenant_id) +
                        " and try again");
    }
    return r.out;
}

// Runs the tool and reads its JSON output; t gets the access token.
picojson::value run_for_token(const Tool& tool, const std::vector<std::string>& argv, const LoginSettings& s,
                              const ProcessRunner& run, Token& t) {
    ProcessResult r;
    auto v = parse_json(run_tool(tool, argv, s, run, r));
    if (!v || !v->is<picojson::object>())
        throw AuthError(std::string(tool.name) + " printed something that is not a JSON token (is it a very old version?)");
    t.access_token = json_string_field(*v, tool.token_field);
    if (t.access_token.empty()) throw AuthError(command_text(argv) + " printed no " + tool.token_field);
    return *v;
}

Token finish(Token t, std::int64_t now) {
    t.obtained_at = now;
    if (auto c = decode_jwt_claims(t.access_token)) t.claims = *c;
    if (t.expires_on <= 0) t.expires_on = t.claims.exp;
    if (t.expires_on <= 0) throw AuthError("the token from the other tool has no expiry");
    return t;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(const std::string& text) {
    std::tm tm{};
    const char* p = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p) return std::nullopt;
    if (*p == '.')
        while (*++p >= '0' && *p <= '9') {
        }
    std::int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        ++p;
    } else if (*p == '+' || *p == '-') {
        const int sign = *p == '-' ? -1 : 1;
        int hh = 0, mm = 0;
        if (std::sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2) return std::nullopt;
        offset = sign * (hh * 3600 + mm * 60);
        p += 6;
    } else {
        return std::nullopt;
    }
    if (*p != '\0') return std::nullopt;
    return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

std::vector<std::string> azure_cli_command(const LoginSettings& s) {
    std::vector<std::string> argv{"az", "account", "get-access-token", "--resource", s.server_id, "-o", "json"};
    // az refuses --tenant together with --subscription; the subscription
    // implies its tenant.
    if (!s.subscription.empty())
        argv.insert(argv.end(), {"--subscription", s.subscription});
    else if (!s.tenant_id.empty())
        argv.insert(argv.end(), {"--tenant", s.tenant_id});
    return argv;
}

std::vector<std::string> azd_command(const LoginSettings& s) {
    std::vector<std::string> argv{"azd", "auth", "token", "--output", "json", "--scope", s.server_id + "/.default"};
    if (!s.tenant_id.empty()) argv.insert(argv.end(), {"--tenant-id", s.tenant_id});
    return argv;
}

Token run_azure_cli_flow(const LoginSettings& s, const ProcessRunner& run, std::int64_t now) {
    Token t;
    const picojson::value v = run_for_token(kAz, azure_cli_command(s), s, run, t);
    const std::string type = json_string_field(v, "tokenType");
    if (!type.empty()) t.token_type = type;
    // expires_on (epoch, az 2.54+) is unambiguous; expiresOn is local time.
    if (auto e = json_int_field(v, "expires_on")) t.expires_on = *e;
    return finish(std::move(t), now);
}

Token run_azd_flow(const LoginSettings& s, const ProcessRunner& run, std::int64_t now) {
    Token t;
    const picojson::value v = run_for_token(kAzd, azd_command(s), s, run, t);
    if (auto e = parse_rfc3339(json_string_field(v, "expiresOn"))) t.expires_on = *e;
    return finish(std::move(t), now);
}

}  // namespace aks
