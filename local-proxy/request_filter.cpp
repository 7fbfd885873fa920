#include "local-proxy/request_filter.h"

#include <re2/re2.h>

#include <algorithm>

#include "core/errors.h"

namespace aks::proxy {
namespace {

// Go's regexp: UTF-8, Perl classes, leftmost-first, "." without "\n", "^"/"$"
// at the ends of the text: RE2's defaults. Errors are reported, not logged.
RE2::Options go_options() {
    RE2::Options o;
    o.set_log_errors(false);
    return o;
}

std::vector<std::unique_ptr<RE2>> compile(const std::string& list, const char* flag) {
    std::vector<std::unique_ptr<RE2>> out;
    if (list.empty()) return out;  // MakeRegexpArray(""): no expressions at all
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string expr = list.substr(start, comma - start);
        if (expr.empty())
            throw UsageError(std::string(flag) + " has an empty expression between commas, which would match everything");
        auto re = std::make_unique<RE2>(expr, go_options());
        if (!re->ok())
            throw UsageError(std::string(flag) + ": '" + expr + "' is not a valid regular expression (" + re->error() +
                             ")");
        out.push_back(std::move(re));
        if (comma == list.size()) break;
        start = comma + 1;
    }
    return out;
}

// Go's regexp.MatchString: a match anywhere unless the expression anchors itself.
bool any_match(const std::vector<std::unique_ptr<RE2>>& res, std::string_view s) {
    const re2::StringPiece text(s.data(), s.size());
    return std::any_of(res.begin(), res.end(), [&](const std::unique_ptr<RE2>& re) { return RE2::PartialMatch(text, *re); });
}

}  // namespace

RequestFilter::RequestFilter(const FilterSpec& spec)
    : accept_hosts_(compile(spec.accept_hosts, "--accept-hosts")),
      accept_paths_(compile(spec.accept_paths, "--accept-paths")),
      reject_paths_(compile(spec.reject_paths, "--reject-paths")),
      reject_methods_(compile(spec.reject_methods, "--reject-methods")) {}

RequestFilter::~RequestFilter() = default;
RequestFilter::RequestFilter(RequestFilter&&) noexcept = default;
RequestFilter& RequestFilter::operator=(RequestFilter&&) noexcept = default;

bool RequestFilter::host_accepted(std::string_view host) const { return any_match(accept_hosts_, host); }

FilterVerdict RequestFilter::check(std::string_view method, std::string_view path, std::string_view host) const {
    if (!host_accepted(host)) return FilterVerdict::RejectHost;
    if (any_match(reject_paths_, path)) return FilterVerdict::RejectPath;
    if (any_match(reject_methods_, method)) return FilterVerdict::RejectMethod;
    if (!any_match(accept_paths_, path)) return FilterVerdict::RejectPath;
    return FilterVerdict::Accept;
}

bool RequestFilter::path_rejected(std::string_view path) const { return any_match(reject_paths_, path); }

bool is_long_lived(std::string_view target) {
    const std::size_t q = target.find('?');
    if (q == std::string_view::npos) return false;
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view kv = query.substr(0, amp);
        for (const char* name : {"watch=", "follow="}) {
            const std::string_view n(name);
            if (kv.substr(0, n.size()) == n) {
                const std::string_view v = kv.substr(n.size());
                if (v == "true" || v == "1" || v == "True") return true;
            }
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

}  // namespace aks::proxy
