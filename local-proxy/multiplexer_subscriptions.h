#pragma once
// The watches a browser has open over Headlamp's /wsMultiplexer, read from
// the messages it sends (pure; table-tested). Headlamp's multiplexer
// (kubernetes-sigs/headlamp v0.45.0 backend/cmd/multiplexer.go) keys its
// connections by clusterId:path:userId (createConnectionKey); a REQUEST opens
// one (or reuses it), a CLOSE ends it; frontend/src/lib/k8s/api/v2/
// multiplexer.ts sends {clusterId, path, query, userId, type}. The relay
// re-sends these REQUESTs on a new upstream WebSocket when the token changes.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace aks::proxy {

class MultiplexerSubscriptions {
public:
    // At most this many subscriptions (and this long a message) are kept; more
    // are forwarded but not re-sent after a token change.
    static constexpr std::size_t kMaxSubscriptions = 4096;
    static constexpr std::size_t kMaxMessage = 64 * 1024;

    // A text message from the browser. Anything that is not a REQUEST or
    // CLOSE with Headlamp's routing fields is ignored.
    void observe(std::string_view message);
    // One REQUEST per open subscription (the latest sent for its key), in the
    // order the subscriptions were opened.
    std::vector<std::string> replay() const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::string key;
        std::string request;
    };
    std::vector<Entry> entries_;
};

}  // namespace aks::proxy
