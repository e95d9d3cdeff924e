// The checker itself: it must accept real gateway exports and trustc's output, and reject each
// kind of breakage on its own (one test per breakage, made by editing our output with tinyxml2).
#include "tests/unit/compiler/lower/bundle/bundle_checker.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "compiler/lower/bundle/bundle.h"
#include "tests/support/paths.h"
#include "tests/support/reference.h"
#include "tests/unit/compiler/lower/bundle/test_program.h"

namespace trust::test {
namespace {

using tinyxml2::XMLElement;

std::filesystem::path ReferenceDir() { return test::ReferencePath("bundles"); }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(BundleCheckerTest, AcceptsRealExports) {
  std::filesystem::path dir = ReferenceDir();
  REQUIRE_REFERENCE(dir);
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".bundle") {
      continue;
    }
    ++checked;
    EXPECT_EQ(CheckBundle(ReadFile(entry.path()), {}), std::vector<std::string>{}) << entry.path();
  }
  EXPECT_GT(checked, 0);
}

// Real exports hold built-in ids, UUID and alias ids and id-less singletons: not ours.
TEST(BundleCheckerTest, StrictModeRejectsRealExports) {
  std::filesystem::path dir = ReferenceDir();
  REQUIRE_REFERENCE(dir);
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".bundle") {
      continue;
    }
    ++checked;
    EXPECT_NE(CheckBundle(ReadFile(entry.path()), {.strict = true}), std::vector<std::string>{});
  }
  EXPECT_GT(checked, 0);
}

// Every bundle the golden programs produce, among them revocation policies whose signers are
// certificates mapped after the policy (which the gateway resolves at the end of the bundle).
TEST(BundleCheckerTest, AcceptsEveryGoldenBundle) {
  std::filesystem::path golden = std::filesystem::path(test_support::SourceDir()) / "tests/golden";
  size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(golden)) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".install.bundle")) continue;
    std::string install = ReadFile(entry.path());
    std::string remove = ReadFile(golden / (name.substr(0, name.size() - 15) + ".delete.bundle"));
    EXPECT_EQ(CheckBundle(install, {.strict = true}), std::vector<std::string>{}) << name;
    EXPECT_EQ(CheckDeleteBundle(install, remove), std::vector<std::string>{}) << name;
    ++checked;
  }
  EXPECT_GT(checked, 20u);
}

// A certificate that references its revocation policy needs the policy mapped first.
TEST(BundleCheckerTest, RejectsAPolicyMappedAfterItsCertificate) {
  std::string install = ReadFile(std::filesystem::path(test_support::SourceDir()) /
                                 "tests/golden/revocation_policy.gw.install.bundle");
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.Parse(install.c_str()), tinyxml2::XML_SUCCESS);
  XMLElement* mappings = doc.RootElement()->FirstChildElement("l7:Mappings");
  mappings->InsertEndChild(mappings->FirstChildElement());  // the first policy goes last
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  std::vector<std::string> errors = CheckBundle(printer.CStr(), {.strict = true});
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const std::string& e) {
    return e.find("revocation policy reference") != std::string::npos &&
           e.find("is mapped after the entity referencing it") != std::string::npos;
  })) << ::testing::PrintToString(errors);
}

class BrokenBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = SampleProgram();
    install_ = lower::bundle::InstallBundle(program_, program_.gateways[0]);
    delete_ = lower::bundle::DeleteBundle(program_, program_.gateways[0]);
    ASSERT_EQ(CheckBundle(install_, {.strict = true}), std::vector<std::string>{});
    ASSERT_EQ(CheckBundle(delete_, {.strict = true}), std::vector<std::string>{});
    ASSERT_EQ(CheckDeleteBundle(install_, delete_), std::vector<std::string>{});
  }

  // Applies `edit` to the parsed `xml` and prints it back.
  static std::string Edit(const std::string& xml,
                          const std::function<void(tinyxml2::XMLDocument&)>& edit) {
    tinyxml2::XMLDocument doc;
    EXPECT_EQ(doc.Parse(xml.c_str()), tinyxml2::XML_SUCCESS);
    edit(doc);
    tinyxml2::XMLPrinter printer;
    doc.Print(&printer);
    return printer.CStr();
  }

  static XMLElement* Item(tinyxml2::XMLDocument& doc, int index) {
    XMLElement* item =
        doc.RootElement()->FirstChildElement("l7:References")->FirstChildElement("l7:Item");
    while (index-- > 0) {
      item = item->NextSiblingElement("l7:Item");
    }
    return item;
  }

  static XMLElement* Mappings(tinyxml2::XMLDocument& doc) {
    return doc.RootElement()->FirstChildElement("l7:Mappings");
  }

  static XMLElement* CertProperties(tinyxml2::XMLDocument& doc) {
    return Item(doc, 0)
        ->FirstChildElement("l7:Resource")
        ->FirstChildElement("l7:TrustedCertificate")
        ->FirstChildElement("l7:Properties");
  }

  // The strict check fails on `broken`, for the reason `because` names.
  static void ExpectRejected(const std::string& broken, const std::string& because) {
    std::vector<std::string> errors = CheckBundle(broken, {.strict = true});
    bool found = std::any_of(errors.begin(), errors.end(), [&](const std::string& e) {
      return e.find(because) != std::string::npos;
    });
    EXPECT_TRUE(found) << "no error says \"" << because << "\"; errors:\n"
                       << ::testing::PrintToString(errors) << "\n"
                       << broken;
  }

  ir::Program program_;
  std::string install_;
  std::string delete_;
};

TEST_F(BrokenBundleTest, SwappedItemChildren) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* item = Item(doc, 1);
    item->InsertAfterChild(item->FirstChildElement("l7:Id"), item->FirstChildElement("l7:Name"));
  };
  ExpectRejected(Edit(install_, edit), "misplaced <l7:Name>");
}

TEST_F(BrokenBundleTest, UppercaseId) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* item = Item(doc, 0);
    std::string id = item->FirstChildElement("l7:Id")->GetText();
    for (char& c : id) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    item->FirstChildElement("l7:Id")->SetText(id.c_str());
    item->FirstChildElement("l7:Resource")->FirstChildElement()->SetAttribute("id", id.c_str());
    Mappings(doc)->FirstChildElement()->SetAttribute("srcId", id.c_str());
  };
  ExpectRejected(Edit(install_, edit), "is not 32 lower-case hex digits");
}

TEST_F(BrokenBundleTest, DuplicateId) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* references = doc.RootElement()->FirstChildElement("l7:References");
    references->InsertEndChild(Item(doc, 0)->DeepClone(&doc));
  };
  ExpectRejected(Edit(install_, edit), "duplicate (id, type)");
}

TEST_F(BrokenBundleTest, EntityIdDiffersFromItemId) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    Item(doc, 1)
        ->FirstChildElement("l7:Resource")
        ->FirstChildElement()
        ->SetAttribute("id", "0123456789abcdef0123456789abcdef");
  };
  ExpectRejected(Edit(install_, edit), "differs from l7:Id");
}

TEST_F(BrokenBundleTest, StringValueForTrustFlag) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    CertProperties(doc)
        ->FirstChildElement("l7:Property")
        ->FirstChildElement()
        ->SetName("l7:StringValue");
  };
  ExpectRejected(Edit(install_, edit),
                 "trust flag revocationCheckingEnabled is not a BooleanValue");
}

TEST_F(BrokenBundleTest, MissingTrustProperty) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* properties = CertProperties(doc);
    properties->DeleteChild(properties->LastChildElement("l7:Property"));
  };
  ExpectRejected(Edit(install_, edit), "trust flag verifyHostname missing");
}

TEST_F(BrokenBundleTest, MisspelledTrustProperty) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    CertProperties(doc)->FirstChildElement("l7:Property")->SetAttribute("key", "trustanchor");
  };
  ExpectRejected(Edit(install_, edit), "unknown trust property trustanchor");
}

TEST_F(BrokenBundleTest, PropertyWithTwoValues) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* property = CertProperties(doc)->FirstChildElement("l7:Property");
    property->InsertEndChild(property->FirstChildElement()->DeepClone(&doc));
  };
  ExpectRejected(Edit(install_, edit), "needs exactly one typed value");
}

// The user's mapping moved before its provider's: the provider is then mapped later.
TEST_F(BrokenBundleTest, ReferenceToProviderMappedLater) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* mappings = Mappings(doc);
    XMLElement* provider = mappings->FirstChildElement()->NextSiblingElement();
    mappings->InsertAfterChild(mappings->LastChildElement(), provider);
  };
  ExpectRejected(Edit(install_, edit), "is mapped after the entity referencing it");
}

TEST_F(BrokenBundleTest, ReferenceToCertMappedLater) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    XMLElement* mappings = Mappings(doc);
    mappings->InsertEndChild(mappings->FirstChildElement());
  };
  ExpectRejected(Edit(install_, edit), "is mapped after the entity referencing it");
}

TEST_F(BrokenBundleTest, ReservedId) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    const char* id = "0000000000000000ffffffffffffec76";
    Item(doc, 0)->FirstChildElement("l7:Id")->SetText(id);
    Item(doc, 0)->FirstChildElement("l7:Resource")->FirstChildElement()->SetAttribute("id", id);
  };
  ExpectRejected(Edit(install_, edit), "is reserved");
}

TEST_F(BrokenBundleTest, WrongNamespace) {
  auto edit = [](tinyxml2::XMLDocument& doc) {
    doc.RootElement()->SetAttribute("xmlns:l7", "http://ns.l7tech.com/2010/04/other");
  };
  ExpectRejected(Edit(install_, edit), "does not declare the namespace");
}

TEST_F(BrokenBundleTest, DeleteNotReversed) {
  std::string broken = Edit(install_, [](tinyxml2::XMLDocument& doc) {
    for (XMLElement* m = Mappings(doc)->FirstChildElement(); m; m = m->NextSiblingElement()) {
      m->SetAttribute("action", "Delete");
    }
  });
  EXPECT_NE(CheckDeleteBundle(install_, broken), std::vector<std::string>{});
  // Deleting a provider before its users also breaks the reference order on its own.
  ExpectRejected(broken, "is deleted before the entity referencing it");
}

TEST_F(BrokenBundleTest, DeleteWithWrongAction) {
  std::string broken = Edit(delete_, [](tinyxml2::XMLDocument& doc) {
    Mappings(doc)->FirstChildElement()->SetAttribute("action", "NewOrUpdate");
  });
  EXPECT_NE(CheckDeleteBundle(install_, broken), std::vector<std::string>{});
}

}  // namespace
}  // namespace trust::test
