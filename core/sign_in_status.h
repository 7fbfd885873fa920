#pragma once
// What a person waiting for a device-code or browser sign-in sees on stderr.
// On a terminal: one status line (code, URL, time left) rewritten in place
// with CR and erase-line, replaced at the end by "Signed in as ...". Anywhere
// else (CI logs, kubectl capturing stderr): the plain lines, printed once,
// exactly as az and kubelogin print them. Every piece of server text goes
// through terminal_line, so a code or URL cannot carry control characters.
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "core/token.h"

namespace aks {

// "4:05" for 245 seconds; negative counts as 0.
std::string time_left(std::int64_t seconds);

// The device-code status line for a terminal `columns` wide (the line stays
// shorter than that, so CR returns to its start): the long form, else a short
// one; empty when not even the short form fits (the caller then prints the
// URL once and keeps only the code and the time on the status line).
std::string device_code_status(const std::string& user_code, const std::string& uri, std::int64_t seconds_left,
                               int columns);

// "Signed in as <user> (tenant <tid>); token valid until <time>": the upn,
// else the object id; the token's tenant, else `tenant_hint`.
std::string signed_in_line(const Token& t, const std::string& tenant_hint);

class SignInStatus {
public:
    // columns > 0: `out` is a terminal that wide (live status line); 0: plain lines.
    explicit SignInStatus(std::ostream& out, int columns = 0, std::string tenant_hint = {});
    ~SignInStatus();
    SignInStatus(const SignInStatus&) = delete;
    SignInStatus& operator=(const SignInStatus&) = delete;

    bool live() const { return columns_ > 0; }

    // A device code to enter: `prompt` is the plain line (Entra's message);
    // `deadline` and `now` are epoch seconds of the injected clock.
    void device_code(const std::string& prompt, const std::string& user_code, const std::string& uri,
                     std::int64_t deadline, std::int64_t now);
    // A browser sign-in at `url`; `opened`: a browser was started. `timeout`
    // is only named by the plain lines.
    void browser(const std::string& url, bool opened, std::int64_t timeout_seconds, std::int64_t deadline,
                 std::int64_t now);
    // Live: rewrites the status line with the time left at `now`.
    void tick(std::int64_t now);
    // Live: the status line becomes signed_in_line (announced() turns true).
    void signed_in(const Token& t);
    // Live: a status line still showing gets its newline, so whatever is
    // printed next (an error line) starts on a line of its own.
    void finish();

    bool announced() const { return announced_; }

private:
    void draw(const std::string& line);
    std::string status_at(std::int64_t now) const;

    std::ostream& out_;
    int columns_;
    std::string tenant_hint_;
    enum class Waiting { none, code, code_short, message, browser } waiting_ = Waiting::none;
    std::string user_code_;
    std::string uri_;
    std::int64_t deadline_ = 0;
    bool line_open_ = false;
    bool announced_ = false;
};

// Closes a status line still showing when a flow ends, by return or throw.
class StatusLineGuard {
public:
    explicit StatusLineGuard(SignInStatus& status) : status_(status) {}
    ~StatusLineGuard() { status_.finish(); }
    StatusLineGuard(const StatusLineGuard&) = delete;
    StatusLineGuard& operator=(const StatusLineGuard&) = delete;

private:
    SignInStatus& status_;
};

// The width of the terminal on `fd`, or 0 when `fd` is not one worth a live
// line (not a tty, TERM unset or "dumb"). Unknown sizes count as 80.
int status_line_columns(int fd, const std::function<std::optional<std::string>(const std::string&)>& env);

}  // namespace aks
