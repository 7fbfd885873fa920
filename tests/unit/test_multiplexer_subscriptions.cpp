#include <catch2/catch.hpp>

#include "local-proxy/multiplexer_subscriptions.h"

using aks::proxy::MultiplexerSubscriptions;

namespace {

std::string msg(const std::string& type, const std::string& path, const std::string& query = "watch=1",
                const std::string& user = "u1", const std::string& cluster = "main") {
    return R"({"clusterId":")" + cluster + R"(","path":")" + path + R"(","query":")" + query + R"(","userId":")" +
           user + R"(","type":")" + type + R"("})";
}

}  // namespace

TEST_CASE("multiplexer: REQUESTs are kept per Headlamp connection key, CLOSE ends them",
          "[multiplexer_subscriptions]") {
    MultiplexerSubscriptions s;
    s.observe(msg("REQUEST", "/api/v1/pods"));
    s.observe(msg("REQUEST", "/api/v1/namespaces/default/events"));
    s.observe(msg("REQUEST", "/api/v1/pods", "watch=1&resourceVersion=7"));  // same key: the latest wins, in place
    s.observe(msg("REQUEST", "/api/v1/pods", "watch=1", "u2"));               // another user id: another key
    s.observe(msg("REQUEST", "/api/v1/pods", "watch=1", "u1", "other"));      // another cluster
    CHECK(s.replay() == std::vector<std::string>{msg("REQUEST", "/api/v1/pods", "watch=1&resourceVersion=7"),
                                                 msg("REQUEST", "/api/v1/namespaces/default/events"),
                                                 msg("REQUEST", "/api/v1/pods", "watch=1", "u2"),
                                                 msg("REQUEST", "/api/v1/pods", "watch=1", "u1", "other")});
    s.observe(msg("CLOSE", "/api/v1/pods", "anything"));  // the query is not part of the key
    s.observe(msg("CLOSE", "/never/opened"));
    CHECK(s.size() == 3);
    CHECK(s.replay().front() == msg("REQUEST", "/api/v1/namespaces/default/events"));
}

TEST_CASE("multiplexer: messages Headlamp would drop are not kept", "[multiplexer_subscriptions]") {
    MultiplexerSubscriptions s;
    for (const std::string& m : {std::string("not json"), std::string("[1,2]"), std::string("{}"),
                                 msg("REQUEST", ""), msg("REQUEST", "/p", "q", ""), msg("REQUEST", "/p", "q", "u", ""),
                                 msg("", "/p"), msg("DATA", "/p"),
                                 std::string(R"({"clusterId":1,"path":"/p","userId":"u","type":"REQUEST"})")})
        s.observe(m);
    CHECK(s.size() == 0);
    s.observe(std::string(MultiplexerSubscriptions::kMaxMessage + 1, ' '));
    CHECK(s.size() == 0);
}

TEST_CASE("multiplexer: the number of kept subscriptions is bounded", "[multiplexer_subscriptions]") {
    MultiplexerSubscriptions s;
    for (std::size_t i = 0; i < MultiplexerSubscriptions::kMaxSubscriptions + 10; ++i)
        s.observe(msg("REQUEST", "/p" + std::to_string(i)));
    CHECK(s.size() == MultiplexerSubscriptions::kMaxSubscriptions);
}
