#include "compiler/lower/bundle/entities.h"

#include <string>
#include <string_view>
#include <vector>

#include "compiler/lower/bundle/goid.h"

namespace trust::lower::bundle {
namespace {

std::string_view Bool(bool value) { return value ? "true" : "false"; }

void AddProperty(xml::Element& properties, std::string_view key, const char* value_type,
                 std::string_view value) {
  properties.Add("l7:Property").Attr("key", key).AddText(value_type, value);
}

void AddBoolean(xml::Element& properties, std::string_view key, bool value) {
  AddProperty(properties, key, "l7:BooleanValue", Bool(value));
}

// All eight keys, always, in docs/bundles.md's order: the gateway silently defaults a missing
// or misspelled key, so leaving one out would mean trusting by accident.
void AddTrustProperties(const ir::Trust& trust, xml::Element& properties) {
  AddBoolean(properties, "revocationCheckingEnabled", trust.revocation_checking);
  AddBoolean(properties, "trustAnchor", trust.anchor);
  for (ir::Purpose purpose : ir::AllPurposes()) {
    AddBoolean(properties, ir::PurposeProperty(purpose), trust.Has(purpose));
  }
  AddBoolean(properties, "verifyHostname", trust.verify_hostname);
}

// A specific policy: `revocationCheckingEnabled` stays true and the reference names it.
void AddPolicyReference(const Plan& plan, const PlannedEntity& entity, xml::Element& cert) {
  if (!entity.revocation_policy) return;
  xml::Element extension = cert.Add("l7:Extension");
  extension.Add("l7:RevocationCheckingPolicyReference")
      .Attr("id", plan.entities[*entity.revocation_policy].id)
      .Attr("resourceUri", std::string(kNamespace) + "/revocationCheckingPolicies");
}

// A trusted certificate's and a user's own certificate have the same `l7:CertificateData`.
void WriteCertificateData(const x509::Certificate& certificate, xml::Element& parent) {
  xml::Element data = parent.Add("l7:CertificateData");
  data.AddText("l7:IssuerName", certificate.facts().issuer);
  data.AddText("l7:SerialNumber", certificate.facts().serial_decimal);
  data.AddText("l7:SubjectName", certificate.facts().subject);
  data.AddText("l7:Encoded", CertBase64(certificate.der()));
}

void WriteTrustedCert(const Plan& plan, const PlannedEntity& entity, xml::Element& resource) {
  xml::Element cert = resource.Add("l7:TrustedCertificate");
  cert.Attr("id", entity.id);
  cert.AddText("l7:Name", entity.name);
  WriteCertificateData(*entity.certificate, cert);
  {
    xml::Element properties = cert.Add("l7:Properties");
    AddTrustProperties(*entity.trust, properties);
  }  // closed before the extension that follows it
  AddPolicyReference(plan, entity, cert);
}

std::string_view CheckType(const ir::RevocationCheck& check) {
  if (check.ocsp) return check.from_certificate ? "OCSP from certificate URL" : "OCSP from URL";
  return check.from_certificate ? "CRL from certificate URL" : "CRL from URL";
}

void WriteRevocationCheck(const Plan& plan, const ir::RevocationCheck& check,
                          const std::vector<size_t>& signers, xml::Element& policy) {
  xml::Element item = policy.Add("l7:RevocationCheckItems");
  item.AddText("l7:Type", CheckType(check));
  item.AddText("l7:Url", check.url);
  item.AddText("l7:AllowIssuerSignature", Bool(check.allow_issuer_signature));
  for (size_t index : signers) item.AddText("l7:TrustedSigners", plan.entities[index].id);
}

void WriteRevocationPolicy(const Plan& plan, const PlannedEntity& entity, xml::Element& resource) {
  const ir::RevocationPolicy& policy = *entity.policy;
  xml::Element element = resource.Add("l7:RevocationCheckingPolicy");
  element.Attr("id", entity.id);
  element.AddText("l7:Name", entity.name);
  element.AddText("l7:DefaultPolicy", Bool(policy.default_policy));
  element.AddText("l7:ContinueOnServerUnavailable", Bool(policy.continue_on_unavailable));
  element.AddText("l7:DefaultSuccess", Bool(policy.default_success));
  // The gateway's model writes each check as one `l7:RevocationCheckItems` element, and each
  // signer id as one `l7:TrustedSigners` element (JAXB lists without a wrapper).
  for (size_t i = 0; i < policy.checks.size(); ++i) {
    WriteRevocationCheck(plan, policy.checks[i], entity.signers[i], element);
  }
}

void WriteProviderProperties(const ir::IdentityProvider& provider, xml::Element& element) {
  xml::Element properties = element.Add("l7:Properties");
  AddBoolean(properties, "enableCredentialType.saml", provider.saml);
  AddBoolean(properties, "enableCredentialType.x509", provider.x509);
  if (provider.validation != ir::Validation::kGatewayDefault) {
    AddProperty(properties, "certificateValidation", "l7:StringValue",
                ir::ValidationRestmanValue(provider.validation));
  }
}

void WriteCertificateReferences(const Plan& plan, const PlannedEntity& entity,
                                xml::Element& element) {
  xml::Element extension = element.Add("l7:Extension");
  xml::Element detail = extension.Add("l7:FederatedIdentityProviderDetail");
  xml::Element references = detail.Add("l7:CertificateReferences");
  references.Attr("resourceUri", std::string(kNamespace) + "/trustedCertificates");
  for (size_t index : entity.references) {
    references.Add("l7:Reference").Attr("id", plan.entities[index].id);
  }
}

void WriteProvider(const Plan& plan, const PlannedEntity& entity, xml::Element& resource) {
  xml::Element element = resource.Add("l7:IdentityProvider");
  element.Attr("id", entity.id);
  element.AddText("l7:Name", entity.name);
  element.AddText("l7:IdentityProviderType", "Federated");
  WriteProviderProperties(*entity.provider, element);
  WriteCertificateReferences(plan, entity, element);
}

void AddOptionalText(xml::Element& parent, const char* name, std::string_view text) {
  if (!text.empty()) {
    parent.AddText(name, text);
  }
}

void WriteUser(const PlannedEntity& entity, xml::Element& resource) {
  const ir::User& user = *entity.user;
  xml::Element element = resource.Add("l7:User");
  element.Attr("id", entity.id).Attr("providerId", entity.provider_id);
  element.AddText("l7:Login", user.login);  // required, and empty for a login-less user
  AddOptionalText(element, "l7:FirstName", user.first_name);
  AddOptionalText(element, "l7:LastName", user.last_name);
  AddOptionalText(element, "l7:Email", user.email);
  element.AddText("l7:SubjectDn", user.dn);
  {
    xml::Element properties = element.Add("l7:Properties");
    AddProperty(properties, "name", "l7:StringValue", user.name);
  }  // closed before the extension that follows it
  if (entity.certificate != nullptr) {
    xml::Element extension = element.Add("l7:Extension");
    WriteCertificateData(*entity.certificate, extension);
  }
}

}  // namespace

void WriteItem(const Plan& plan, const PlannedEntity& entity, xml::Element& references) {
  xml::Element item = references.Add("l7:Item");
  item.AddText("l7:Name", entity.name);
  item.AddText("l7:Id", entity.id);
  item.AddText("l7:Type", entity.type);
  xml::Element resource = item.Add("l7:Resource");
  if (entity.trust != nullptr) {
    WriteTrustedCert(plan, entity, resource);
  } else if (entity.policy != nullptr) {
    WriteRevocationPolicy(plan, entity, resource);
  } else if (entity.user != nullptr) {
    WriteUser(entity, resource);
  } else {
    WriteProvider(plan, entity, resource);
  }
}

}  // namespace trust::lower::bundle
