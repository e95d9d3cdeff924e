// sema::CheckSession: consecutive compiles (the language server's) reuse a certificate file
// only while it is the same file, and never remember one that failed to load.
#include "compiler/sema/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "tests/support/paths.h"
#include "tests/support/temp_tree.h"

namespace trust {
namespace {

namespace fs = std::filesystem;

class CheckSessionTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::copy(fs::path(test_support::SourceDir()) / "tests" / "golden" / "certs", dir_ / "certs");
    std::ofstream(dir_ / "main.trust") << "cert ca { file \"certs/ca.pem\" }\n"
                                          "gateway gw { trust ca { for ssl } }\n";
  }

  void Install(const std::string& golden_cert) {
    fs::copy_file(dir_ / "certs" / golden_cert, dir_ / "certs" / "ca.pem",
                  fs::copy_options::overwrite_existing);
  }

  // Compiles main.trust with the session; the subject of `ca`, or the diagnostics.
  std::string CompileSubject() {
    driver::CompileOptions options;
    options.root_path = (dir_ / "main.trust").string();
    options.build_time = 1799971200;  // 2027-01-15
    options.session = &session_;
    options.partial = true;
    auto compilation = driver::Compile(options);
    if (compilation->emitter.HasErrors() || !compilation->program ||
        !compilation->program->certs.at(0).certificate) {
      return diag::RenderText(compilation->emitter.diagnostics(), compilation->sources, {});
    }
    return compilation->program->certs.at(0).certificate->facts().subject;
  }

  const sema::CheckSession::CertificateFile* Remembered() {
    fs::path named = dir_ / "certs" / "ca.pem";
    auto stamp = sema::CheckSession::Stamp(named);
    return stamp ? session_.Find(named, *stamp) : nullptr;
  }

  test::TempDir temp_{"trustc-session"};
  fs::path dir_ = fs::canonical(temp_.path());
  sema::CheckSession session_;
};

TEST_F(CheckSessionTest, RemembersAFileThatLoadedAndReusesItUnchanged) {
  Install("root-ca.pem");
  std::string first = CompileSubject();
  ASSERT_NE(first.find("CN="), std::string::npos) << first;
  const auto* remembered = Remembered();
  ASSERT_NE(remembered, nullptr);
  EXPECT_EQ(remembered->real, dir_ / "certs" / "ca.pem");
  EXPECT_EQ(CompileSubject(), first);
  EXPECT_EQ(Remembered(), remembered);  // not read again
}

TEST_F(CheckSessionTest, AFileReplacedOrRewrittenIsReadAgain) {
  Install("root-ca.pem");
  std::string root = CompileSubject();
  Install("server-ca.pem");  // rewritten in place: another size or time
  std::string server = CompileSubject();
  EXPECT_NE(server, root);
  EXPECT_NE(server.find("CN="), std::string::npos) << server;

  fs::copy_file(dir_ / "certs" / "root-ca.pem", dir_ / "certs" / "next.pem");
  fs::rename(dir_ / "certs" / "next.pem", dir_ / "certs" / "ca.pem");  // replaced: another inode
  EXPECT_EQ(CompileSubject(), root);
}

TEST_F(CheckSessionTest, AFileThatFailsIsNeverRememberedAndFailsEveryTime) {
  Install("garbage.bin");
  EXPECT_NE(CompileSubject().find("[cert_invalid]"), std::string::npos);
  EXPECT_EQ(Remembered(), nullptr);
  EXPECT_NE(CompileSubject().find("[cert_invalid]"), std::string::npos);
}

TEST_F(CheckSessionTest, ALinkLeavingTheRootIsRefusedEvenAfterTheFileWasRemembered) {
  Install("root-ca.pem");
  ASSERT_NE(CompileSubject().find("CN="), std::string::npos);
  test::TempDir outside{"trustc-session-outside"};
  fs::copy_file(dir_ / "certs" / "root-ca.pem", outside.path() / "ca.pem");
  fs::remove(dir_ / "certs" / "ca.pem");
  fs::create_symlink(outside.path() / "ca.pem", dir_ / "certs" / "ca.pem");
  EXPECT_NE(CompileSubject().find("[outside_root]"), std::string::npos);
}

}  // namespace
}  // namespace trust
