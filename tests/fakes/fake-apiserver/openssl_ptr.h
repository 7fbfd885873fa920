#pragma once
// unique_ptr aliases that free OpenSSL objects with their own free functions.
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace aks::fake_apiserver {

template <auto Free>
struct OsslFree {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using BignumPtr = std::unique_ptr<BIGNUM, OsslFree<BN_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslFree<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslFree<OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFree<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslFree<EVP_MD_CTX_free>>;
// Keys are shared between the key set and verifications running on other threads.
using SharedPkey = std::shared_ptr<EVP_PKEY>;

}  // namespace aks::fake_apiserver
