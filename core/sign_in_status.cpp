#include "core/sign_in_status.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "core/expiry.h"
#include "core/terminal_text.h"

namespace aks {
namespace {

// Back to the start of the line and erase it (ECMA-48 EL 0).
constexpr const char* kRewrite = "\r\033[K";
constexpr std::size_t kMaxCode = 64;
constexpr std::size_t kMaxUri = 500;
constexpr std::size_t kMaxUrl = 4096;  // an authorize URL with PKCE, state, nonce and a login hint

// What fits on a line of `columns` without touching the last column (a
// terminal that wraps there would leave CR on the second row).
std::size_t room(int columns) { return columns > 1 ? static_cast<std::size_t>(columns - 1) : 1; }

}  // namespace

std::string time_left(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    const std::int64_t s = seconds % 60;
    return std::to_string(seconds / 60) + (s < 10 ? ":0" : ":") + std::to_string(s);
}

std::string device_code_status(const std::string& user_code, const std::string& uri, std::int64_t seconds_left,
                               int columns) {
    const std::string left = time_left(seconds_left);
    std::string line = "To sign in, open " + uri + " and enter the code " + user_code + " (" + left + " left)";
    if (line.size() <= room(columns)) return line;
    line = "Open " + uri + ", code " + user_code + ", " + left + " left";
    if (line.size() <= room(columns)) return line;
    return {};
}

std::string signed_in_line(const Token& t, const std::string& tenant_hint) {
    const std::string who = !t.claims.upn.empty()   ? t.claims.upn
                            : !t.claims.oid.empty() ? t.claims.oid
                                                    : "unknown user";
    const std::string tenant = !t.claims.tid.empty() ? t.claims.tid : tenant_hint;
    return "Signed in as " + terminal_line(who, 200) + " (tenant " + terminal_line(tenant, 100) +
           "); token valid until " + rfc3339_utc(t.expires_on);
}

SignInStatus::SignInStatus(std::ostream& out, int columns, std::string tenant_hint)
    : out_(out), columns_(columns > 0 ? columns : 0), tenant_hint_(std::move(tenant_hint)) {}

SignInStatus::~SignInStatus() { finish(); }

void SignInStatus::draw(const std::string& line) {
    // Never wider than the terminal, whatever the parts were.
    const std::size_t max = room(columns_);
    out_ << kRewrite << (line.size() <= max ? line : terminal_line(line, max > 3 ? max - 3 : max)) << std::flush;
    line_open_ = true;
}

std::string SignInStatus::status_at(std::int64_t now) const {
    const std::int64_t left = deadline_ - now;
    switch (waiting_) {
        case Waiting::code: return device_code_status(user_code_, uri_, left, columns_);
        case Waiting::code_short:
            return "Enter the code " + user_code_ + " at the page above (" + time_left(left) + " left)";
        case Waiting::message: return "Waiting for sign-in (" + time_left(left) + " left)";
        case Waiting::browser: return "Waiting for the browser sign-in (" + time_left(left) + " left)";
        case Waiting::none: break;
    }
    return {};
}

void SignInStatus::device_code(const std::string& prompt, const std::string& user_code, const std::string& uri,
                               std::int64_t deadline, std::int64_t now) {
    if (!live()) {
        out_ << prompt << '\n' << std::flush;
        return;
    }
    user_code_ = terminal_line(user_code, kMaxCode);
    uri_ = terminal_line(uri, kMaxUri);
    deadline_ = deadline;
    if (user_code_.empty() || uri_.empty()) {
        // Only the provider's sentence: show it once, count down below it.
        out_ << prompt << '\n';
        waiting_ = Waiting::message;
        draw(status_at(now));
        return;
    }
    waiting_ = Waiting::code;
    if (device_code_status(user_code_, uri_, deadline - now, columns_).empty()) {
        // Too narrow for the URL on the status line: print it once above.
        out_ << "To sign in, open " << uri_ << " and enter the code " << user_code_ << '\n';
        waiting_ = Waiting::code_short;
    }
    draw(status_at(now));
}

void SignInStatus::browser(const std::string& url, bool opened, std::int64_t timeout_seconds, std::int64_t deadline,
                           std::int64_t now) {
    const std::string shown = terminal_line(url, kMaxUrl);
    if (!live()) {
        if (opened)
            out_ << "A browser window was opened for sign-in; waiting up to " << timeout_seconds
                 << "s. If it did not open, visit:\n";
        else
            out_ << "No browser could be opened. To sign in, open this URL in a browser on this machine:\n";
        out_ << shown << '\n' << std::flush;
        return;
    }
    out_ << (opened ? "A browser window was opened for sign-in. If it did not open, visit:\n"
                    : "No browser could be opened. To sign in, open this URL in a browser on this machine:\n")
         << shown << '\n';
    waiting_ = Waiting::browser;
    deadline_ = deadline;
    draw(status_at(now));
}

void SignInStatus::tick(std::int64_t now) {
    if (live() && line_open_ && waiting_ != Waiting::none) draw(status_at(now));
}

void SignInStatus::signed_in(const Token& t) {
    if (!live() || waiting_ == Waiting::none) return;
    // The last word, never rewritten: it may be as long as it needs.
    out_ << kRewrite << signed_in_line(t, tenant_hint_) << '\n' << std::flush;
    line_open_ = false;
    waiting_ = Waiting::none;
    announced_ = true;
}

void SignInStatus::finish() {
    if (line_open_) out_ << '\n' << std::flush;
    line_open_ = false;
    waiting_ = Waiting::none;
}

int status_line_columns(int fd, const std::function<std::optional<std::string>(const std::string&)>& env) {
    if (!::isatty(fd)) return 0;
    const auto term = env ? env("TERM") : std::nullopt;
    if (!term || term->empty() || *term == "dumb") return 0;
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    if (const auto c = env("COLUMNS")) {
        const int n = std::atoi(c->c_str());
        if (n > 0 && n < 10000) return n;
    }
    return 80;
}

}  // namespace aks
