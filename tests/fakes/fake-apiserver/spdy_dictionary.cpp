#include "tests/fakes/fake-apiserver/spdy_dictionary.h"

namespace aks::fake_apiserver::spdy {
namespace {

// The spec's dictionary is, in order: these words, each after its length as a
// 4-byte big-endian number (as a header block spells names and values) ...
const char* const kWords[] = {
    "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset",
    "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
    "cache-control", "connection", "content-base", "content-encoding", "content-language",
    "content-length", "content-location", "content-md5", "content-range", "content-type", "date",
    "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match",
    "if-range", "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma",
    "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after", "server", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
    "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public",
    "set-cookie", "keep-alive", "origin"};

// ... then this text with no length prefixes (status codes, reasons, dates,
// content types, cache and charset words; "Sept" and the lack of a trailing
// NUL are as the spec and Go's spdy package have them).
const char* const kTail[] = {
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505",
    "203 Non-Authoritative Information", "204 No Content", "301 Moved Permanently",
    "400 Bad Request", "401 Unauthorized", "403 Forbidden", "404 Not Found",
    "500 Internal Server Error", "501 Not Implemented", "503 Service Unavailable",
    "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ",
    "Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT",
    "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,",
    "text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdch",
    "charset=utf-8charset=iso-8859-1,utf-,*,enq=0."};

std::string build() {
  std::string out;
  for (const char* w : kWords) {
    const std::string word(w);
    const auto n = static_cast<std::uint32_t>(word.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
    out += word;
  }
  for (const char* t : kTail) out += t;
  return out;
}

}  // namespace

const std::string& header_dictionary() {
  static const std::string dictionary = build();
  return dictionary;
}

}  // namespace aks::fake_apiserver::spdy
