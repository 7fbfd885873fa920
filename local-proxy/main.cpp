// aks-proxy: `kubectl proxy` with the shared Entra ID token injected; with
// --upstream or --headlamp-service, the same for Headlamp in the browser.
// Wiring only: options → kubeconfig context → upstream TLS → token → server.
#include <unistd.h>

#include <boost/system/system_error.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "core/browser_launcher.h"
#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/login_args.h"
#include "core/redact.h"
#include "kubeconfig/context_settings.h"
#include "kubeconfig/kubeconfig.h"
#include "kubeconfig/proxy_kubeconfig.h"
#include "local-proxy/fd_budget.h"
#include "local-proxy/proxy_doc.h"
#include "local-proxy/headlamp_cookies.h"
#include "local-proxy/headlamp_probe.h"
#include "local-proxy/launch_file.h"
#include "local-proxy/launch_host.h"
#include "local-proxy/proxy_options.h"
#include "local-proxy/proxy_server.h"
#include "local-proxy/token_provider.h"
#include "local-proxy/upstream.h"

namespace {

using namespace aks;
using namespace aks::proxy;

struct Target {
    kubeconfig::Cluster cluster;
    LoginSettings login;
    EnvLookup login_env;   // the environment with the exec entry's env list applied
    EnvOverlay exec_env;   // that list
    std::string context_name;
    bool cache_dir_overridden = false;  // --cache-dir differs from the context's own
};

// The context's cluster, and the identity: the context's user entry, or the
// explicit login flags when given.
Target resolve_target(const ProxyOptions& o, const EnvLookup& env) {
    const kubeconfig::Kubeconfig kc = kubeconfig::load(o.kubeconfig, env);
    Target t;
    if (o.login_args.empty()) {
        kubeconfig::ResolvedContext rc = kubeconfig::resolve_context(kc, o.context, env);
        t.cluster = std::move(rc.cluster);
        t.login = std::move(rc.login);
        t.login_env = kubeconfig::exec_env(rc.user, env);
        if (rc.user.exec) t.exec_env = rc.user.exec->env;
        t.context_name = rc.context.name;
    } else {
        const std::string name = o.context.empty() ? kc.current_context : o.context;
        const kubeconfig::Context* ctx = kc.find_context(name);
        if (!ctx) throw UsageError("context '" + name + "' is not in the kubeconfig");
        const kubeconfig::Cluster* cluster = kc.find_cluster(ctx->cluster);
        if (!cluster) throw UsageError("context '" + name + "' names cluster '" + ctx->cluster + "', which is missing");
        t.cluster = *cluster;
        t.login = parse_login_args(o.login_args, env).settings;
        t.login_env = env;
        t.context_name = name;
    }
    if (!o.cache_dir.empty() && o.cache_dir != t.login.cache_dir) {
        t.login.cache_dir = o.cache_dir;
        t.cache_dir_overridden = true;
    }
    return t;
}

// Shown in the start-up hint and every 401 body: secrets redacted (core/redact.h).
std::string login_command(const ProxyOptions& o, const Target& t) {
    std::string cmd = "aks-token login";
    if (!o.login_args.empty()) {
        cmd += " " + redacted_command_line(o.login_args);
    } else {
        if (o.kubeconfig) cmd += " --kubeconfig " + *o.kubeconfig;
        cmd += " --context " + t.context_name;
    }
    if (t.cache_dir_overridden) cmd += " --cache-dir " + o.cache_dir;
    return cmd;
}

bool is_loopback(const std::string& address) {
    boost::system::error_code ec;
    std::string bare = address;
    if (bare.size() > 2 && bare.front() == '[') bare = bare.substr(1, bare.size() - 2);
    const auto ip = boost::asio::ip::make_address(bare, ec);
    return !ec && ip.is_loopback();
}

// The host a browser on this machine uses for the listen address: a wildcard
// address is reached through loopback.
std::string browser_host(const std::string& address) {
    if (address == "0.0.0.0" || address.empty()) return "127.0.0.1";
    if (address == "::" || address == "[::]") return "[::1]";
    if (address.find(':') != std::string::npos && address.front() != '[') return "[" + address + "]";
    return address;
}

// Headlamp mode's settings. Headlamp reads its token cookie under the
// sanitised cluster name: a name with nothing left could never work.
HeadlampMode headlamp_mode(const ProxyOptions& o, const Target& t, const std::string& landing) {
    HeadlampMode m;
    m.cluster = o.headlamp_cluster;
    m.cookie_cluster = sanitize_headlamp_cluster(o.headlamp_cluster);
    if (m.cookie_cluster.empty())
        throw UsageError("--headlamp-cluster '" + o.headlamp_cluster +
                         "' has no letter, digit, '-' or '_': Headlamp could not read a token cookie for it");
    m.base = landing;
    m.via_service_proxy = !o.headlamp_service.empty();
    m.login_command = login_command(o, t);
    m.context = t.context_name;
    return m;
}

// The browser gets a private file that forwards to the launch URL, never the
// URL itself: command lines are readable by every local user (launch_file.h).
void open_launch_url(LaunchSession& session, const std::string& launch_url, const EnvLookup& env,
                     std::unique_ptr<LaunchFile>& file) {
    try {
        file = LaunchFile::create(launch_url, env);
    } catch (const std::exception& e) {
        std::cerr << "aks-proxy: " << e.what() << "; open the URL above yourself\n";
        return;
    }
    LaunchFile* f = file.get();  // outlives the server, which is the only caller
    session.on_first_launch([f] { f->remove(); });
    if (!system_browser(env)(f->url())) {
        std::cerr << "aks-proxy: no browser could be started; open the URL above\n";
        f->remove();
    }
}

// Headlamp mode: once a token is there, look at how Headlamp is configured
// and warn about what makes it unsafe or unusable behind aks-proxy
// (headlamp_probe.h). On a thread of its own, ended at shutdown.
class HeadlampCheck {
public:
    void start(const ProxyContext& ctx) {
        thread_ = std::thread([this, &ctx] { run(ctx); });
    }
    void stop() {
        stop_ = true;
        ioc_.stop();
        if (thread_.joinable()) thread_.join();
    }
    ~HeadlampCheck() { stop(); }

private:
    void run(const ProxyContext& ctx) {
        std::shared_ptr<const std::string> authorization;
        while (!stop_ && !(authorization = ctx.tokens.authorization()))
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (stop_) return;
        const ProbeAnswers answers = probe_headlamp(ioc_, stop_, ctx, *authorization, std::chrono::seconds(15));
        if (stop_) return;
        const std::vector<std::string> findings = headlamp_findings(*ctx.headlamp, answers);
        for (const std::string& line : findings) std::cerr << "aks-proxy: warning: " << line << '\n';
        if (ctx.verbose)
            std::cerr << "aks-proxy: Headlamp checked (/config " << answers.config.status << ", /me "
                      << answers.me.status << ", SelfSubjectReview " << answers.review.status << "): "
                      << findings.size() << " warning(s)\n";
        std::cerr << std::flush;
    }

    net::io_context ioc_{1};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// `aks-proxy kubeconfig [--context X] [--address A] [--port P]`: a kubeconfig
// for tools that cannot run exec plugins, pointing at a proxy started with the
// same flags.
int print_kubeconfig(const ProxyOptions& o) {
    if (o.port == 0) throw UsageError("kubeconfig needs the proxy's real --port, not 0");
    const bool v6 = o.address.find(':') != std::string::npos && o.address.front() != '[';
    const std::string url =
        "http://" + (v6 ? "[" + o.address + "]" : o.address) + ":" + std::to_string(o.port);
    const kubeconfig::Kubeconfig kc = kubeconfig::load(o.kubeconfig, process_env());
    std::fputs(kubeconfig::proxy_kubeconfig_yaml(kc, o.context, url).c_str(), stdout);
    return 0;
}

int serve(const ProxyOptions& o) {
    const EnvLookup env = process_env();
    const Target target = resolve_target(o, env);

    Upstream upstream;
    const bool headlamp = !o.upstream.empty() || !o.headlamp_service.empty();
    std::string landing = "/";  // Headlamp mode: where the launch URL redirects
    if (!o.upstream.empty()) {
        if (const std::string host = cleartext_upstream_host(o.upstream); !host.empty())
            std::cerr << "aks-proxy: warning: --upstream " << o.upstream << " is plain HTTP to " << host
                      << ", not this machine: your cluster token crosses the network in cleartext, and anyone on "
                         "the path can read it and act as you\n";
        landing = configure_web_upstream(upstream, o.upstream) + "/";
    } else {
        configure_upstream(upstream, target.cluster, std::cerr);
        if (!o.headlamp_service.empty()) {
            // The API server's service proxy reaches Headlamp in the cluster; it
            // drops Authorization after checking it, so Headlamp gets the token
            // from the headlamp-auth cookie the exchange adds.
            const std::string svc = o.headlamp_service;
            const std::size_t slash = svc.find('/');
            upstream.path_prefix += "/api/v1/namespaces/" + svc.substr(0, slash) + "/services/" +
                                    svc.substr(slash + 1) + "/proxy";
        }
    }
    // Headlamp mode: a host name of its own, so that the launch cookie
    // reaches no other local server (launch_host.h).
    std::string launch_host;
    FilterSpec filter_spec = o.filter;
    if (headlamp && !o.address_given && o.unix_socket.empty()) {
        launch_host = random_launch_host();
        filter_spec.accept_hosts = accept_hosts_for(o.filter.accept_hosts, launch_host);
    }
    upstream.http2 = !o.upstream_http1;
    const RequestFilter filter(filter_spec);

    TokenProviderOptions topts;
    topts.settings = target.login;
    topts.cache_dir = resolve_cache_dir(target.login.cache_dir, target.login_env);  // as the plugin under kubectl
    topts.login_command = login_command(o, target);
    topts.interactive_allowed = ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO);
    topts.log = &std::cerr;
    topts.verbose = o.verbosity > 0;
    topts.env = target.login_env;
    topts.exec_env = target.exec_env;
    TokenProvider tokens(std::move(topts));
    tokens.load_initial();

    ProxyContext ctx(upstream, filter, tokens, AccessLog(!o.quiet));
    ctx.verbose = o.verbosity > 0;
    ctx.limits.header_timeout = std::chrono::seconds(o.header_timeout_seconds);
    ctx.limits.shutdown_grace = std::chrono::seconds(o.shutdown_timeout_seconds);
    const long open_file_limit = raise_open_file_limit();
    const ConnectionLimit limit =
        connection_limit(o.max_connections, kDefaultMaxConnections, open_file_limit, open_descriptors());
    ctx.limits.max_connections = limit.value;
    if (!limit.warning.empty()) std::cerr << "aks-proxy: warning: " << limit.warning << '\n';
    if (headlamp) ctx.headlamp = headlamp_mode(o, target, landing);

    const int threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    std::unique_ptr<LaunchFile> launch_file;  // outlives the server, whose threads may remove it
    ProxyServer server(ctx, threads);
    std::string where;
    try {
        const auto port = static_cast<unsigned short>(o.port);
        where = !o.unix_socket.empty() ? server.listen_unix(o.unix_socket)
                : launch_host.empty()  ? server.listen_tcp(o.address, port)
                                       : server.listen_loopback(port);
    } catch (const boost::system::system_error& e) {
        throw UsageError("cannot listen on " + (o.unix_socket.empty() ? o.address + ":" + std::to_string(o.port)
                                                                      : o.unix_socket) +
                         ": " + e.code().message());
    }
    if (headlamp && o.address_given)
        std::cerr << "aks-proxy: warning: with --address " << o.address << " the launch cookie also reaches any other "
                  << "server on " << o.address << " that the browser visits (browsers do not separate cookies by "
                  << "port); without --address aks-proxy uses a host name of its own\n";
    if (o.unix_socket.empty() && !is_loopback(o.address))
        std::cerr << "aks-proxy: warning: listening on " << where
                  << ", which is reachable from other machines; anyone who can connect acts as you on the cluster\n";
    if (o.verbosity > 0)
        std::cerr << "aks-proxy: context " << target.context_name << " → " << target.cluster.server << " (" << threads
                  << " threads, at most " << limit.value << " connections, open-file limit " << open_file_limit
                  << ")\n";
    std::string launch_url;
    if (headlamp) {
        // The port is known only now (--port 0); no connection is served before run().
        const std::string port = where.substr(where.rfind(':') + 1);
        ctx.launch.emplace(LaunchSession::generate(static_cast<std::uint16_t>(std::stoi(port)), landing));
        launch_url = "http://" + (launch_host.empty() ? browser_host(o.address) : launch_host) + ":" + port +
                     ctx.launch->launch_target();
    }
    std::printf("Starting to serve on %s\n", where.c_str());
    if (headlamp) std::printf("%s\n", launch_url.c_str());
    std::fflush(stdout);
    if (headlamp && !o.no_browser) open_launch_url(*ctx.launch, launch_url, env, launch_file);

    tokens.start_background();
    HeadlampCheck check;
    if (headlamp) check.start(ctx);
    const int rc = server.run();
    check.stop();
    tokens.stop();
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // before anything can write to a socket or pipe (also in ProxyServer::run)
    ProxyOptions options;
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (const auto done = run_doc_command(args)) return *done;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "aks-proxy: %s (see aks-proxy --help)\n", e.what());
        return 2;
    }
    const bool kubeconfig_command = !args.empty() && args.front() == "kubeconfig";
    if (kubeconfig_command) args.erase(args.begin());
    try {
        options = parse_proxy_options(args);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "aks-proxy: %s (see aks-proxy --help)\n", redact_text(e.what()).c_str());
        return 2;
    }
    if (options.help) {
        std::fputs(proxy_usage().c_str(), stdout);
        return 0;
    }
    if (options.version) {
        std::printf("aks-proxy %s\n", AKS_AUTH_VERSION);
        return 0;
    }
    try {
        return kubeconfig_command ? print_kubeconfig(options) : serve(options);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "aks-proxy: %s\n", redact_text(e.what()).c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aks-proxy: %s\n", redact_text(e.what()).c_str());
        return 1;
    }
}
