// Descriptions follow Microsoft's published AADSTS table
// (MicrosoftDocs/entra-docs, docs/identity-platform/reference-error-codes.md);
// the `error` values are those Entra's token endpoint pairs with each code
// (RFC 6749 §5.2 names, plus interaction_required from OpenID Connect Core
// §3.1.2.6 for MFA and sign-in frequency).
#include "tests/fakes/fake-entra/aadsts_catalog.h"

namespace aks::fake_entra {
namespace {

const AadstsError kCatalog[] = {
    {50076, 400, "interaction_required",
     "Due to a configuration change made by your administrator, or because you moved to a new location, you must "
     "use multi-factor authentication to access '6dae42f8-4368-4678-94ff-3960e28e3630'."},
    {50079, 400, "interaction_required",
     "Due to a configuration change made by your administrator, or because you moved to a new location, you must "
     "enroll in multi-factor authentication to access '6dae42f8-4368-4678-94ff-3960e28e3630'."},
    {50078, 400, "interaction_required",
     "Presented multi-factor authentication has expired due to policies configured by your administrator, you must "
     "refresh your multi-factor authentication to access '6dae42f8-4368-4678-94ff-3960e28e3630'."},
    {50173, 400, "invalid_grant",
     "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have "
     "changed or reset their password."},
    {70043, 400, "invalid_grant",
     "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access."},
    {700082, 400, "invalid_grant",
     "The refresh token has expired due to inactivity. The token was issued on 2024-01-01T00:00:00Z and was "
     "inactive for 90.00:00:00."},
    {70008, 400, "invalid_grant", "The provided authorization code or refresh token has expired due to inactivity."},
    {53000, 400, "invalid_grant",
     "Device is not in required device state: compliant. Conditional Access policy requires a compliant device, "
     "and the device is not compliant."},
    {53003, 400, "invalid_grant", "Access has been blocked by Conditional Access policies. The access policy does not "
                                  "allow token issuance."},
    {65001, 400, "invalid_grant",
     "The user or administrator has not consented to use the application with ID "
     "'80faf920-1908-4b52-b5ef-a8e7bedfc67a'. Send an interactive authorization request for this user and resource."},
    {50058, 400, "invalid_grant", "A silent sign-in request was sent but no user is signed in."},
    {50126, 400, "invalid_grant", "Error validating credentials due to invalid username or password."},
    {500011, 400, "invalid_resource",
     "The resource principal named 6dae42f8-4368-4678-94ff-3960e28e3630 was not found in the tenant. This can "
     "happen if the application has not been installed by the administrator of the tenant."},
    {700016, 400, "unauthorized_client",
     "Application with identifier '80faf920-1908-4b52-b5ef-a8e7bedfc67a' was not found in the directory. This can "
     "happen if the application has not been installed by the administrator of the tenant."},
    {90002, 400, "invalid_request", "Tenant '00000000-0000-0000-0000-000000000000' not found."},
    {7000215, 401, "invalid_client",
     "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not "
     "the client secret ID."},
    {7000222, 401, "invalid_client", "The provided client secret keys are expired."},
    {700024, 400, "invalid_client", "Client assertion is not within its valid time range."},
    {700027, 401, "invalid_client", "Client assertion failed signature validation."},
    {70021, 400, "invalid_request", "No matching federated identity record found for presented assertion."},
    {700213, 400, "invalid_request", "No matching federated identity record found for presented assertion subject."},
    {50020, 400, "invalid_request",
     "User account from identity provider does not exist in tenant and cannot access the application."},
    {50053, 400, "invalid_grant", "Your account is locked because you tried to sign in too many times."},
    {50057, 400, "invalid_grant", "The user account is disabled."},
    {70019, 400, "expired_token", "Verification code expired."},
    {70016, 400, "authorization_pending", "OAuth 2.0 device flow error. Authorization is pending."},
    {90033, 503, "temporarily_unavailable", "A transient error has occurred. Please try again."},
    {90055, 429, "temporarily_unavailable", "There are too many incoming requests. Try again later."},
};

}  // namespace

const AadstsError* find_aadsts(std::int64_t code) {
    for (const AadstsError& e : kCatalog)
        if (e.code == code) return &e;
    return nullptr;
}

}  // namespace aks::fake_entra
