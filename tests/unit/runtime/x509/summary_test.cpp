// SummarizeCertificate must agree with the full parse on every certificate it is given, and
// refuse what is not a certificate.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/x509/certificate.h"
#include "tests/support/paths.h"

namespace trust::x509 {
namespace {

namespace fs = std::filesystem;

TEST(SummarizeCertificate, AgreesWithTheFullParseOnEveryCorpusCertificate) {
  int compared = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(test_support::SourceDir()) / "tests/golden/certs")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    LoadResult parsed = ParseCertificate(bytes.str());
    const auto* cert = std::get_if<std::shared_ptr<const Certificate>>(&parsed);
    if (cert == nullptr) continue;
    const auto& der = (*cert)->der();
    std::optional<CertSummary> summary = SummarizeCertificate(
        std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
    ASSERT_TRUE(summary.has_value()) << entry.path();
    EXPECT_EQ(summary->subject, (*cert)->facts().subject) << entry.path();
    EXPECT_EQ(summary->not_after, (*cert)->facts().not_after) << entry.path();
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

TEST(SummarizeCertificate, RefusesWhatIsNotACertificate) {
  EXPECT_FALSE(SummarizeCertificate(""));
  EXPECT_FALSE(SummarizeCertificate("hello"));
  EXPECT_FALSE(SummarizeCertificate(std::string("\x30\x03\x02\x01\x01", 5)));
  EXPECT_FALSE(SummarizeCertificate(std::string("\x30\x80\x00\x00", 4)));  // indefinite length
}

}  // namespace
}  // namespace trust::x509
