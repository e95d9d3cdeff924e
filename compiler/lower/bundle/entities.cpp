#include "compiler/lower/bundle/entities.h"

#include <string>
#include <string_view>

#include "compiler/lower/bundle/goid.h"

namespace trust::lower::bundle {
namespace {

std::string_view Bool(bool value) { return value ? "true" : "false"; }

void AddProperty(xml::Element properties, std::string_view key, std::string_view value_type,
                 std::string_view value) {
  properties.Add("l7:Property").Attr("key", key).AddText(value_type, value);
}

void AddBoolean(xml::Element properties, std::string_view key, bool value) {
  AddProperty(properties, key, "l7:BooleanValue", Bool(value));
}

// All eight keys, always, in docs/bundles.md's order: the gateway silently defaults a missing
// or misspelled key, so leaving one out would mean trusting by accident.
void AddTrustProperties(const ir::Trust& trust, xml::Element properties) {
  AddBoolean(properties, "revocationCheckingEnabled", trust.revocation_checking);
  AddBoolean(properties, "trustAnchor", trust.anchor);
  for (ir::Purpose purpose : ir::AllPurposes()) {
    AddBoolean(properties, ir::PurposeProperty(purpose), trust.Has(purpose));
  }
  AddBoolean(properties, "verifyHostname", trust.verify_hostname);
}

void WriteTrustedCert(const PlannedEntity& entity, xml::Element resource) {
  xml::Element cert = resource.Add("l7:TrustedCertificate").Attr("id", entity.id);
  cert.AddText("l7:Name", entity.name);
  xml::Element data = cert.Add("l7:CertificateData");
  const x509::Certificate& certificate = *entity.certificate;
  data.AddText("l7:IssuerName", certificate.facts().issuer);
  data.AddText("l7:SerialNumber", certificate.facts().serial_decimal);
  data.AddText("l7:SubjectName", certificate.facts().subject);
  data.AddText("l7:Encoded", CertBase64(certificate));
  AddTrustProperties(*entity.trust, cert.Add("l7:Properties"));
}

void WriteProvider(const Plan& plan, const PlannedEntity& entity, xml::Element resource) {
  const ir::IdentityProvider& provider = *entity.provider;
  xml::Element element = resource.Add("l7:IdentityProvider").Attr("id", entity.id);
  element.AddText("l7:Name", entity.name);
  element.AddText("l7:IdentityProviderType", "Federated");
  xml::Element properties = element.Add("l7:Properties");
  AddBoolean(properties, "enableCredentialType.saml", provider.saml);
  AddBoolean(properties, "enableCredentialType.x509", provider.x509);
  if (provider.validation != ir::Validation::kGatewayDefault) {
    AddProperty(properties, "certificateValidation", "l7:StringValue",
                ir::ValidationRestmanValue(provider.validation));
  }
  xml::Element references =
      element.Add("l7:Extension")
          .Add("l7:FederatedIdentityProviderDetail")
          .Add("l7:CertificateReferences")
          .Attr("resourceUri", std::string(kNamespace) + "/trustedCertificates");
  for (size_t index : entity.references) {
    references.Add("l7:Reference").Attr("id", plan.entities[index].id);
  }
}

void AddOptionalText(xml::Element parent, std::string_view name, std::string_view text) {
  if (!text.empty()) {
    parent.AddText(name, text);
  }
}

void WriteUser(const PlannedEntity& entity, xml::Element resource) {
  const ir::User& user = *entity.user;
  xml::Element element =
      resource.Add("l7:User").Attr("id", entity.id).Attr("providerId", entity.provider_id);
  element.AddText("l7:Login", user.login);
  AddOptionalText(element, "l7:FirstName", user.first_name);
  AddOptionalText(element, "l7:LastName", user.last_name);
  AddOptionalText(element, "l7:Email", user.email);
  element.AddText("l7:SubjectDn", user.dn);
  AddProperty(element.Add("l7:Properties"), "name", "l7:StringValue", user.login);
}

}  // namespace

void WriteItem(const Plan& plan, const PlannedEntity& entity, xml::Element references) {
  xml::Element item = references.Add("l7:Item");
  item.AddText("l7:Name", entity.name);
  item.AddText("l7:Id", entity.id);
  item.AddText("l7:Type", entity.type);
  xml::Element resource = item.Add("l7:Resource");
  if (entity.trust != nullptr) {
    WriteTrustedCert(entity, resource);
  } else if (entity.user != nullptr) {
    WriteUser(entity, resource);
  } else {
    WriteProvider(plan, entity, resource);
  }
}

}  // namespace trust::lower::bundle
