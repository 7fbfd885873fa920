#include "core/certificate_loader.h"

#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "tests/unit/test_pki.h"
#include "tests/unit/temp_dir.h"

namespace {

struct Dir : aks_test::TempDir {
    std::string write(const std::string& name, const std::string& data) const {
        const std::string p = path + "/" + name;
        std::ofstream(p, std::ios::binary) << data;
        return p;
    }
};

std::string error_of(const std::string& path, const std::string& password) {
    try {
        aks::load_client_certificate(path, password);
    } catch (const aks::UsageError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("certificate loader: PEM with certificate and key in either order", "[certificate_loader]") {
    Dir d;
    const auto t = aks_test::TestCert::make();
    for (const auto& text : {t.cert_pem() + t.key_pem(), t.key_pem() + t.cert_pem()}) {
        const auto c = aks::load_client_certificate(d.write("c.pem", text), "");
        CHECK(c.cert_der == t.der());
        CHECK(EVP_PKEY_eq(c.key.get(), t.key.get()) == 1);
    }
}

TEST_CASE("certificate loader: PFX with and without a password", "[certificate_loader]") {
    Dir d;
    const auto t = aks_test::TestCert::make();
    CHECK(aks::load_client_certificate(d.write("a.pfx", t.pfx("pa ss")), "pa ss").cert_der == t.der());
    CHECK(aks::load_client_certificate(d.write("b.pfx", t.pfx("")), "").cert_der == t.der());
    const std::string e = error_of(d.path + "/a.pfx", "wrong-secret-pw");
    CHECK(e.find("wrong --client-certificate-password") != std::string::npos);
    CHECK(e.find("wrong-secret-pw") == std::string::npos);
}

TEST_CASE("certificate loader: bad files are UsageErrors naming the problem", "[certificate_loader]") {
    Dir d;
    const auto t = aks_test::TestCert::make();
    const auto other = aks_test::TestCert::make();
    CHECK(error_of(d.path + "/missing.pem", "").find("cannot read --client-certificate") != std::string::npos);
    CHECK(error_of(d.write("empty.pem", ""), "").find("is empty") != std::string::npos);
    CHECK(error_of(d.write("cert-only.pem", t.cert_pem()), "").find("no readable private key") != std::string::npos);
    CHECK(error_of(d.write("key-only.pem", t.key_pem()), "").find("no PEM CERTIFICATE") != std::string::npos);
    CHECK(error_of(d.write("junk.bin", "garbage bytes"), "").find("neither a PEM") != std::string::npos);
    CHECK(error_of(d.write("mismatch.pem", t.cert_pem() + other.key_pem()), "").find("does not belong") !=
          std::string::npos);
    const auto ec = aks_test::TestCert::make("EC");
    CHECK(error_of(d.write("ec.pem", ec.cert_pem() + ec.key_pem()), "").find("not an RSA key") != std::string::npos);
}

TEST_CASE("certificate loader: a chain file picks the key's certificate; encrypted PEM key", "[certificate_loader]") {
    Dir d;
    const auto leaf = aks_test::TestCert::make();
    const auto ca = aks_test::TestCert::make();
    const auto c = aks::load_client_certificate(d.write("chain.pem", ca.cert_pem() + leaf.cert_pem() + leaf.key_pem()), "");
    CHECK(c.cert_der == leaf.der());

    aks::BioPtr b(BIO_new(BIO_s_mem()));
    REQUIRE(PEM_write_bio_PrivateKey(b.get(), leaf.key.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                     const_cast<char*>("key-pass-1")) == 1);
    char* data = nullptr;
    const long n = BIO_get_mem_data(b.get(), &data);
    const std::string path = d.write("enc.pem", leaf.cert_pem() + std::string(data, static_cast<std::size_t>(n)));
    CHECK(aks::load_client_certificate(path, "key-pass-1").cert_der == leaf.der());
    const std::string e = error_of(path, "wrong-key-pass");
    CHECK(e.find("no readable private key") != std::string::npos);
    CHECK(e.find("wrong-key-pass") == std::string::npos);
    // A directory is not a certificate: one line, no crash.
    CHECK(error_of(d.path, "").find("--client-certificate " + d.path) != std::string::npos);
}
