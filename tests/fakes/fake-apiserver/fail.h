#pragma once
// The one place connection errors are reported (or deliberately not).
#include <boost/system/error_code.hpp>

namespace aks::fake_apiserver {

// Logs `what: message` unless the error is a normal ending: the peer closing
// (with or without TLS close_notify), an idle timeout, or our own cancel.
void fail(const boost::system::error_code& ec, const char* what);

}  // namespace aks::fake_apiserver
