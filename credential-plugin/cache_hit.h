#pragma once
// The hot path kubectl pays on every run: answer from a fresh cache entry
// without network, lock or OpenSSL. Shared by the small front binary and the
// full one so both print byte-identical output for the same cache state.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/login_args.h"

namespace aks {

// `args` are the program arguments without argv[0]. Returns the exact stdout
// text for `get-token` (ExecCredential) or `token` (bare token + "\n") when
// the cache holds a fresh token for those flags; nullopt for anything else
// (other subcommands, -h, -v, unknown flags, miss, stale, any error).
// Never throws.
std::optional<std::string> try_cache_hit(const std::vector<std::string>& args, const EnvLookup& env,
                                         std::int64_t now) noexcept;

}  // namespace aks
