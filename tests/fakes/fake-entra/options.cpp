#include "tests/fakes/fake-entra/options.h"

#include <stdexcept>

namespace aks::fake_entra {
namespace {

std::int64_t parse_int(const std::string& flag, const std::string& v, std::int64_t lo,
                       std::int64_t hi) {
    std::size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != v.size() || n < lo || n > hi)
        throw std::invalid_argument(flag + " wants a number from " + std::to_string(lo) + " to " +
                                    std::to_string(hi) + ", got '" + v + "'");
    return n;
}

}  // namespace

std::string usage_line() {
    return "usage: fake-entra --cert server.pem --key server-key.pem [--host 127.0.0.1] "
           "[--port 0] [--port-file F] [--tenant TENANT_ID] [--lifetime SECONDS] "
           "[--interval SECONDS] [--signing-key-file rsa.pem] [--verbose]";
}

std::string usage_text() {
    return usage_line() +
           "\n\nA loopback HTTPS fake of Microsoft Entra ID for tests.\n"
           "  --cert, --key       TLS server certificate and key (PEM)\n"
           "  --host              address to bind (default 127.0.0.1)\n"
           "  --port              port (default 0: any free port)\n"
           "  --port-file F       write the bound port to F (atomically) once listening\n"
           "  --tenant ID         accept only this tenant (and common/organizations)\n"
           "  --lifetime S        access token lifetime in seconds (default 3600)\n"
           "  --interval S        device code polling interval (default 5)\n"
           "  --signing-key-file  RSA private key (PEM) for tokens; default: a new RSA-2048 key\n"
           "  --verbose           log each request line (method, path, status) to stderr\n"
           "Control API: /_control/{config,approve,decline,expire,fault,fault/clear,counters,reset,pending,mint}\n"
           "Faults (POST /_control/fault): {endpoint, kind: reset|close|truncated|html|garbage, status,\n"
           "  retry_after, aadsts, error, error_code, error_description, body, content_type, delay_ms, count}\n";
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string flag = arg, value;
        bool inline_value = false;
        if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            flag = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            inline_value = true;
        }
        auto next = [&]() -> std::string {
            if (inline_value) return value;
            if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
            return argv[++i];
        };
        if (flag == "--help" || flag == "-h") o.help = true;
        else if (flag == "--verbose" || flag == "-v") o.verbose = true;
        else if (flag == "--cert") o.cert = next();
        else if (flag == "--key") o.key = next();
        else if (flag == "--host") o.host = next();
        else if (flag == "--port") o.port = static_cast<int>(parse_int(flag, next(), 0, 65535));
        else if (flag == "--port-file") o.port_file = next();
        else if (flag == "--tenant") o.tenant = next();
        else if (flag == "--lifetime") o.lifetime = parse_int(flag, next(), 0, 366LL * 24 * 3600);
        else if (flag == "--interval") o.interval = parse_int(flag, next(), 0, 3600);
        else if (flag == "--signing-key-file") o.signing_key_file = next();
        else throw std::invalid_argument("unknown argument '" + arg + "'");
    }
    if (o.help) return o;
    if (o.cert.empty()) throw std::invalid_argument("--cert is required");
    if (o.key.empty()) throw std::invalid_argument("--key is required");
    if (o.host.empty()) throw std::invalid_argument("--host must not be empty");
    return o;
}

}  // namespace aks::fake_entra
