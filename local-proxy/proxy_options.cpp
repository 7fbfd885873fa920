#include "local-proxy/proxy_options.h"

#include <boost/asio/ip/address.hpp>

#include <cerrno>
#include <cstdlib>

#include "core/errors.h"
#include "core/login_args.h"
#include "core/login_flag_help.h"
#include "core/redact.h"
#include "core/url.h"

namespace aks::proxy {
namespace {

int parse_int(const std::string& flag, const std::string& value, long lo, long hi) {
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno != 0 || n < lo || n > hi)
        throw UsageError(flag + " needs a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                         ", not '" + value + "'");
    return static_cast<int>(n);
}

// "ns/name[:port]" → "ns/name:port" (port name or number, default "http"),
// each part a DNS label, so it can go into the service proxy path as is.
std::string service_path_part(const std::string& v) {
    auto label = [](const std::string& x) {
        return !x.empty() && x.size() <= 63 &&
               x.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
    };
    const std::size_t slash = v.find('/');
    const std::size_t colon = v.find(':', slash == std::string::npos ? 0 : slash);
    const std::string ns = v.substr(0, slash);
    const std::string name =
        slash == std::string::npos ? "" : v.substr(slash + 1, colon == std::string::npos ? colon : colon - slash - 1);
    const std::string port = colon == std::string::npos ? "http" : v.substr(colon + 1);
    if (!label(ns) || !label(name) || !label(port))
        throw UsageError("--headlamp-service '" + v + "' is not NAMESPACE/NAME or NAMESPACE/NAME:PORT");
    return ns + "/" + name + ":" + port;
}

struct Flag {
    const char* name;
    char short_name;
    const char* arg;  // nullptr: boolean
    const char* help;
    void (*set)(ProxyOptions&, const std::string&);
};

const Flag kFlags[] = {
    {"context", 0, "NAME", "kubeconfig context (default: current-context)",
     [](ProxyOptions& o, const std::string& v) { o.context = v; }},
    {"kubeconfig", 0, "FILE", "kubeconfig file (default: KUBECONFIG, else ~/.kube/config)",
     [](ProxyOptions& o, const std::string& v) { o.kubeconfig = v; }},
    {"address", 0, "IP",
     "address to listen on (default 127.0.0.1; Headlamp mode 127.0.0.1 and ::1 with a launch host name of its own; "
     "others are reachable from the network)",
     [](ProxyOptions& o, const std::string& v) {
         o.address = v;
         o.address_given = true;
     }},
    {"port", 'p', "N", "port to listen on (default 8001, with --upstream 8000; 0 picks a free one)",
     [](ProxyOptions& o, const std::string& v) {
         o.port = parse_int("--port", v, 0, 65535);
         o.port_given = true;
     }},
    {"unix-socket", 'u', "PATH", "listen on a Unix socket (mode 0600) instead of TCP",
     [](ProxyOptions& o, const std::string& v) { o.unix_socket = v; }},
    {"upstream", 0, "URL", "Headlamp mode: serve this Headlamp (http://127.0.0.1:8080, https://ingress/base)",
     [](ProxyOptions& o, const std::string& v) { o.upstream = v; }},
    {"headlamp-service", 0, "NS/NAME[:PORT]",
     "Headlamp mode through the API server's service proxy (port name default http)",
     [](ProxyOptions& o, const std::string& v) { o.headlamp_service = v; }},
    {"headlamp-cluster", 0, "NAME",
     "Headlamp mode: the cluster's name in Headlamp's URLs, /c/NAME/ (default main, as in-cluster)",
     [](ProxyOptions& o, const std::string& v) { o.headlamp_cluster = v; }},
    {"no-browser", 0, nullptr, "Headlamp mode: print the launch URL but do not open it",
     [](ProxyOptions& o, const std::string&) { o.no_browser = true; }},
    {"allow-insecure-upstream", 0, nullptr,
     "Headlamp mode: allow an http:// --upstream that is not loopback (the token crosses the network in cleartext)",
     [](ProxyOptions& o, const std::string&) { o.allow_insecure_upstream = true; }},
    {"accept-hosts", 0, "RE,...", "Host values to accept (default ^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$)",
     [](ProxyOptions& o, const std::string& v) { o.filter.accept_hosts = v; }},
    {"accept-paths", 0, "RE,...", "paths to accept (default ^.*)",
     [](ProxyOptions& o, const std::string& v) { o.filter.accept_paths = v; }},
    {"reject-paths", 0, "RE,...",
     "paths to refuse, replacing the default: kubectl proxy's (^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach) plus "
     "the kubelet's run, exec and attach through the node proxy (^/api/v1/nodes/[^/]+/proxy/(run|exec|attach)(/|$))",
     [](ProxyOptions& o, const std::string& v) { o.filter.reject_paths = v; }},
    {"reject-methods", 0, "RE,...", "methods to refuse (default ^$)",
     [](ProxyOptions& o, const std::string& v) { o.filter.reject_methods = v; }},
    {"cache-dir", 0, "DIR", "token cache (default $KUBECACHEDIR/aks-auth, else ~/.kube/cache/aks-auth)",
     [](ProxyOptions& o, const std::string& v) { o.cache_dir = v; }},
    {"threads", 0, "N", "worker threads (default: the number of cores)",
     [](ProxyOptions& o, const std::string& v) { o.threads = parse_int("--threads", v, 1, 256); }},
    {"header-timeout", 0, "SECONDS", "time allowed for a request head (default 15)",
     [](ProxyOptions& o, const std::string& v) { o.header_timeout_seconds = parse_int("--header-timeout", v, 1, 3600); }},
    {"max-connections", 0, "N",
     "client connections at once; more are answered 503 (default 10000, lowered to fit the open-file limit)",
     [](ProxyOptions& o, const std::string& v) { o.max_connections = parse_int("--max-connections", v, 1, 1000000); }},
    {"shutdown-timeout", 0, "SECONDS", "time in-flight requests get after SIGINT/SIGTERM (default 5)",
     [](ProxyOptions& o, const std::string& v) {
         o.shutdown_timeout_seconds = parse_int("--shutdown-timeout", v, 0, 3600);
     }},
    {"upstream-http1", 0, nullptr, "speak HTTP/1.1 to the API server even when it offers HTTP/2",
     [](ProxyOptions& o, const std::string&) { o.upstream_http1 = true; }},
    {"quiet", 'q', nullptr, "no access log", [](ProxyOptions& o, const std::string&) { o.quiet = true; }},
    {"v", 'v', "N", "verbosity: 1 or more adds diagnostics (never tokens)",
     [](ProxyOptions& o, const std::string& v) { o.verbosity = parse_int("-v", v, 0, 10); }},
    {"help", 'h', nullptr, "show this help", [](ProxyOptions& o, const std::string&) { o.help = true; }},
    {"version", 0, nullptr, "print the version", [](ProxyOptions& o, const std::string&) { o.version = true; }},
};

const Flag* find(const std::string& name, bool is_long) {
    for (const Flag& f : kFlags)
        if (is_long ? name == f.name : (name.size() == 1 && name[0] == f.short_name)) return &f;
    return nullptr;
}

}  // namespace

ProxyOptions parse_proxy_options(const std::vector<std::string>& args) {
    ProxyOptions o;
    // kubelogin's login flags first (same table as aks-token); the rest are ours.
    std::vector<std::string> rest;
    for (const LoginFlag& f : split_login_flags(args, rest)) {
        if (f.name == "cache-dir" || f.name == "token-cache-dir") {
            o.cache_dir = f.value;
            continue;
        }
        o.login_args.push_back("--" + f.name + (f.is_bool && f.value.empty() ? "" : "=" + f.value));
    }
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const std::string& arg = rest[i];
        if (arg.size() < 2 || arg[0] != '-') throw UsageError("unexpected argument '" + redact_text(arg) + "'");
        const bool is_long = arg[1] == '-';
        std::string name = arg.substr(is_long ? 2 : 1);
        std::optional<std::string> value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        } else if (!is_long && name.size() > 1) {
            value = name.substr(1);  // -v4, -p8001
            name.resize(1);
        }
        const Flag* f = find(name, is_long || name.size() > 1);
        // The flag's name only: a mistyped secret flag's value must not be echoed.
        if (!f) throw UsageError("unknown flag " + std::string(is_long ? "--" : "-") + redact_text(name));
        if (!f->arg) {
            if (value) throw UsageError(arg.substr(0, arg.find('=')) + " takes no value");
            f->set(o, "");
            continue;
        }
        if (!value) {
            if (f->short_name == 'v' && (i + 1 >= rest.size() || rest[i + 1].empty() || rest[i + 1][0] == '-')) {
                value = "1";  // bare -v
            } else {
                if (i + 1 >= rest.size()) throw UsageError("--" + std::string(f->name) + " needs a value");
                value = rest[++i];
            }
        }
        f->set(o, *value);
    }
    if (!o.unix_socket.empty() && o.port_given) throw UsageError("give either --unix-socket or --port, not both");
    if (!o.headlamp_service.empty()) {
        if (!o.upstream.empty()) throw UsageError("give either --upstream or --headlamp-service, not both");
        o.headlamp_service = service_path_part(o.headlamp_service);
    }
    if (!o.upstream.empty() || !o.headlamp_service.empty()) {
        if (!o.unix_socket.empty()) throw UsageError("--upstream serves a browser: use --port, not --unix-socket");
        if (!o.port_given) o.port = 8000;
    }
    if (!o.upstream.empty() && !o.allow_insecure_upstream) {
        const std::string host = cleartext_upstream_host(o.upstream);
        if (!host.empty())
            throw UsageError("--upstream " + o.upstream + " would send your cluster token in cleartext to " + host +
                             ", which is not this machine: use https://, or add --allow-insecure-upstream");
    }
    if (o.headlamp_cluster.empty() || o.headlamp_cluster.find_first_of(";,= \t") != std::string::npos)
        throw UsageError("--headlamp-cluster '" + o.headlamp_cluster + "' is not a usable cluster name");
    return o;
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    const auto ip = boost::asio::ip::make_address(host, ec);
    return !ec && ip.is_loopback();
}

std::string cleartext_upstream_host(const std::string& upstream) {
    const std::optional<Url> url = parse_url(upstream);
    if (!url || url->scheme != "http" || is_loopback_host(url->host)) return "";
    return url->host;
}

std::vector<OptionDoc> proxy_option_docs() {
    std::vector<OptionDoc> out;
    for (const Flag& f : kFlags) {
        OptionDoc d;
        d.name = f.name;
        d.short_name = f.short_name;
        d.value_name = f.arg ? f.arg : "";
        d.help = f.help;
        const std::string arg = d.value_name;
        d.hint = !f.arg                                 ? ValueHint::None
                 : d.name == "context"                  ? ValueHint::Context
                 : arg == "FILE" || arg == "PATH"       ? ValueHint::File
                 : arg == "DIR"                         ? ValueHint::Dir
                                                        : ValueHint::Text;
        out.push_back(std::move(d));
    }
    return out;
}

std::string proxy_usage() {
    std::string s =
        "usage: aks-proxy [--context NAME] [--kubeconfig FILE] [options] [kubelogin login flags]\n"
        "       aks-proxy kubeconfig [--context NAME] [--kubeconfig FILE] [--address IP] [--port N]\n"
        "           (prints a kubeconfig without credentials that points at the proxy)\n"
        "A local HTTP proxy to the context's API server that adds the Entra ID token aks-token\n"
        "keeps in the shared cache (like `kubectl proxy`, with safer defaults).\n"
        "With --upstream URL it serves Headlamp instead: every request gets the token, only the browser\n"
        "that opened the printed launch URL is served.\n\n";
    for (const Flag& f : kFlags) {
        std::string left = "  ";
        if (f.short_name && f.name[1] != '\0') left += std::string("-") + f.short_name + ", ";
        left += (f.name[1] == '\0' ? "-" : "--") + std::string(f.name) + (f.arg ? std::string(" ") + f.arg : "");
        if (left.size() < 28) left.resize(28, ' ');
        s += left + " " + f.help + "\n";
    }
    s += "\nLogin flags select an identity explicitly, as for `aks-token get-token` (see its --help for\n"
         "each flag and its environment variables); otherwise the context's aks-token/kubelogin entry does:\n" +
         login_flag_names();
    return s;
}

}  // namespace aks::proxy
