// The AADSTS errors tests inject by number ({"aadsts":700082}): the HTTP
// status, OAuth `error` and description text Entra answers with.
#pragma once

#include <cstdint>
#include <string>

namespace aks::fake_entra {

struct AadstsError {
    std::int64_t code = 0;
    int status = 400;
    const char* error = "";
    const char* description = "";
};

// nullptr when the code is not in the catalog.
const AadstsError* find_aadsts(std::int64_t code);

}  // namespace aks::fake_entra
