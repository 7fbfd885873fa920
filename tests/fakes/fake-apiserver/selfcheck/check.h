#pragma once
// The self-check's one assertion: prints ok/FAIL and counts.
#include <string>

namespace aks::fake_apiserver::selfcheck {

void check(bool ok, const std::string& what);
std::string unhex(const char* hex);
void check_session();  // session_check.cpp

}  // namespace aks::fake_apiserver::selfcheck
