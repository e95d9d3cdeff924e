// `trustc build` end to end: the artifact layout, reproducibility across paths, working
// directories and times, all-or-nothing writes, and verification by the real consumers
// (`sha256sum -c`, `openssl dgst -verify`).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

#include "base/digest.h"
#include "compiler/artifacts/artifacts.h"
#include "runtime/x509/certificate.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/temp_tree.h"

namespace trust {
namespace {

namespace fs = std::filesystem;

const fs::path kExample = fs::path(test_support::SourceDir()) / "examples" / "ca-im-scim";

// Runs a shell command; returns its exit status.
int Shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Quoted(const fs::path& path) { return "'" + path.string() + "'"; }

int Trustc(const std::string& args, const fs::path& cwd = fs::current_path()) {
  return Shell("cd " + Quoted(cwd) + " && " + Quoted(test_support::TrustcPath()) + " " + args +
               " >/dev/null 2>&1");
}

std::map<std::string, std::string> ReadTree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    files[entry.path().lexically_relative(root).generic_string()] = bytes.str();
  }
  return files;
}

class BuildTest : public testing::Test {
 protected:
  // A copy of the example project at tmp_/NAME.
  fs::path CopyExample(const std::string& name) {
    fs::path copy = tmp_ / name;
    fs::create_directories(copy.parent_path());
    fs::copy(kExample, copy, fs::copy_options::recursive);
    return copy;
  }

  test::TempDir temp_{"trustc-build-test"};
  fs::path tmp_ = temp_.path();
};

TEST_F(BuildTest, WritesTheLayoutOfTheSpec) {
  ASSERT_EQ(Trustc("build " + Quoted(kExample / "main.trust") + " -o " + Quoted(tmp_ / "out")), 0);
  auto files = ReadTree(tmp_ / "out");
  EXPECT_TRUE(files.contains("gateways/api_gateway.install.bundle"));
  EXPECT_TRUE(files.contains("gateways/api_gateway.delete.bundle"));
  EXPECT_TRUE(files.contains("gateways/api_gateway.graphman.json"));
  EXPECT_TRUE(files.contains("gateways/api_gateway.graphman.delete.json"));
  EXPECT_TRUE(files.contains("keystores/connector_server.manifest.json"));
  EXPECT_TRUE(files.contains("keystores/connector_xpress.manifest.json"));
  EXPECT_TRUE(files.contains("SHA256SUMS"));
  EXPECT_FALSE(files.contains("SHA256SUMS.sig"));
  size_t certs = 0;
  for (const auto& [path, bytes] : files) certs += path.starts_with("certs/") ? 1 : 0;
  EXPECT_EQ(certs, 2u);  // gateway_ssl and eta2_server, each once
  EXPECT_EQ(Shell("cd " + Quoted(tmp_ / "out") + " && sha256sum --quiet -c SHA256SUMS"), 0);
}

// The second example: a revocation checking policy, mapped before the certificates using it.
TEST_F(BuildTest, ThePartnerRevocationExampleBuilds) {
  fs::path example = fs::path(test_support::SourceDir()) / "examples" / "partner-revocation";
  ASSERT_EQ(Trustc("build " + Quoted(example / "main.trust") + " -o " + Quoted(tmp_ / "out")), 0);
  auto files = ReadTree(tmp_ / "out");
  const std::string& bundle = files["gateways/partner_gateway.install.bundle"];
  size_t policy = bundle.find("<l7:Type>REVOCATION_CHECK_POLICY</l7:Type>");
  size_t cert = bundle.find("<l7:Type>TRUSTED_CERT</l7:Type>");
  ASSERT_NE(policy, std::string::npos);
  EXPECT_LT(policy, cert);
  EXPECT_NE(bundle.find("l7:RevocationCheckingPolicyReference"), std::string::npos);
  EXPECT_NE(files["gateways/partner_gateway.graphman.json"].find("\"SPECIFIED\""),
            std::string::npos);
}

TEST_F(BuildTest, TheOutputDirectoryHasTheModeOfAPlainMkdir) {
  for (const auto& [mask, expected] :
       {std::pair{"022", fs::perms(0755)}, {"027", fs::perms(0750)}}) {
    fs::path out = tmp_ / (std::string("out-") + mask);
    ASSERT_EQ(Shell(std::string("umask ") + mask + " && " + Quoted(test_support::TrustcPath()) +
                    " build " + Quoted(kExample / "main.trust") + " -o " + Quoted(out) +
                    " >/dev/null 2>&1"),
              0);
    EXPECT_EQ(fs::status(out).permissions() & fs::perms::all, expected) << "umask " << mask;
  }
}

TEST_F(BuildTest, IsReproducibleAcrossPathsWorkingDirectoriesAndTimes) {
  fs::path a = CopyExample("a");
  fs::path b = CopyExample("elsewhere/deeper/b");
  ASSERT_EQ(Trustc("build main.trust -o ../out-a --now 2027-01-01T00:00:00Z", a), 0);
  ASSERT_EQ(Trustc("build " + Quoted(b / "main.trust") + " -o " + Quoted(tmp_ / "out-b") +
                       " --now 2031-06-30T12:00:00Z",
                   tmp_),
            0);
  auto first = ReadTree(tmp_ / "out-a");
  auto second = ReadTree(tmp_ / "out-b");
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  for (const auto& [path, bytes] : first) {
    EXPECT_EQ(bytes.find(tmp_.string()), std::string::npos) << path << " holds an absolute path";
  }
  EXPECT_EQ(Shell("diff -r " + Quoted(tmp_ / "out-a") + " " + Quoted(tmp_ / "out-b")), 0);
}

TEST_F(BuildTest, SignatureVerifiesWithOpenSslForRsaAndEc) {
  for (std::string algorithm : {"rsa", "ec"}) {
    fs::path key = tmp_ / (algorithm + ".pem");
    fs::path pub = tmp_ / (algorithm + ".pub.pem");
    std::string genkey = algorithm == "rsa"
                             ? "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"
                             : "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256";
    ASSERT_EQ(Shell(genkey + " -out " + Quoted(key) + " 2>/dev/null"), 0);
    ASSERT_EQ(Shell("openssl pkey -in " + Quoted(key) + " -pubout -out " + Quoted(pub)), 0);
    fs::path out = tmp_ / ("out-" + algorithm);
    ASSERT_EQ(Trustc("build " + Quoted(kExample / "main.trust") + " -o " + Quoted(out) +
                     " --sign-key " + Quoted(key)),
              0);
    std::string verify = "openssl dgst -sha256 -verify " + Quoted(pub) + " -signature " +
                         Quoted(out / "SHA256SUMS.sig") + " ";
    EXPECT_EQ(Shell(verify + Quoted(out / "SHA256SUMS") + " >/dev/null"), 0);
    // The check can fail: a tampered SHA256SUMS does not verify.
    std::ofstream(out / "SHA256SUMS", std::ios::app) << "0000  extra\n";
    EXPECT_NE(Shell(verify + Quoted(out / "SHA256SUMS") + " >/dev/null 2>&1"), 0);
  }
}

TEST_F(BuildTest, ABadSigningKeyWritesNothing) {
  std::ofstream(tmp_ / "not-a-key.pem") << "hello\n";
  EXPECT_EQ(Trustc("build " + Quoted(kExample / "main.trust") + " -o " + Quoted(tmp_ / "out") +
                   " --sign-key " + Quoted(tmp_ / "not-a-key.pem")),
            1);
  EXPECT_FALSE(fs::exists(tmp_ / "out"));
  EXPECT_EQ(Trustc("build " + Quoted(kExample / "main.trust") + " -o " + Quoted(tmp_ / "out") +
                   " --sign-key " + Quoted(tmp_ / "missing.pem")),
            1);
  EXPECT_FALSE(fs::exists(tmp_ / "out"));
}

TEST_F(BuildTest, AnErrorLeavesTheOutputDirectoryExactlyAsItWas) {
  fs::path project = CopyExample("project");
  fs::path out = tmp_ / "out";
  ASSERT_EQ(Trustc("build main.trust -o ../out", project), 0);
  auto before = ReadTree(out);
  std::ofstream(project / "main.trust", std::ios::app) << "\ncert broken { file \"nope.pem\" }\n";
  EXPECT_EQ(Trustc("build main.trust -o ../out", project), 1);
  EXPECT_EQ(ReadTree(out), before);
  for (const auto& entry : fs::directory_iterator(tmp_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << "left behind: " << entry.path();
  }
}

TEST_F(BuildTest, AnExistingDirectoryIsReplacedAsAWhole) {
  fs::path out = tmp_ / "out";
  fs::create_directories(out / "gateways");
  std::ofstream(out / "gateways" / "stale.install.bundle") << "from an earlier build";
  ASSERT_EQ(Trustc("build " + Quoted(kExample / "main.trust") + " -o " + Quoted(out)), 0);
  EXPECT_FALSE(fs::exists(out / "gateways" / "stale.install.bundle"));
  EXPECT_TRUE(fs::exists(out / "gateways" / "api_gateway.install.bundle"));
}

// A rebuild reuses what did not change, and its output is still exactly a cold build's: after
// no change, after one certificate changed, and after an artifact in the output directory was
// tampered with (which the rebuild notices and makes again).
TEST_F(BuildTest, ARebuildIsByteIdenticalToAColdBuild) {
  fs::path project = CopyExample("p");
  fs::path out = tmp_ / "out";
  int cold_builds = 0;
  auto matches_cold_build = [&] {
    // A fresh facts cache and a fresh output directory: nothing to reuse.
    fs::path cold = tmp_ / ("cold-" + std::to_string(++cold_builds));
    std::string cache = "TRUSTC_CACHE_DIR=" + Quoted(cold.string() + "-cache") + " ";
    EXPECT_EQ(Shell("cd " + Quoted(project) + " && " + cache + Quoted(test_support::TrustcPath()) +
                    " build main.trust -o " + Quoted(cold) + " >/dev/null 2>&1"),
              0);
    return ReadTree(out) == ReadTree(cold);
  };
  fs::path bundle = out / "gateways" / "api_gateway.install.bundle";
  fs::path manifest = out / "keystores" / "connector_xpress.manifest.json";

  ASSERT_EQ(Trustc("build main.trust -o " + Quoted(out), project), 0);
  ASSERT_TRUE(fs::exists(out / ".trustc-inputs"));
  struct stat before {};
  ASSERT_EQ(::stat(bundle.c_str(), &before), 0);

  std::ofstream(project / "main.trust", std::ios::app) << "// an edit that changes nothing\n";
  ASSERT_EQ(Trustc("build main.trust -o " + Quoted(out), project), 0);
  EXPECT_TRUE(matches_cold_build()) << "after no change";
  struct stat after {};
  ASSERT_EQ(::stat(bundle.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino) << "the unchanged bundle was not reused";

  struct stat manifest_before {};
  ASSERT_EQ(::stat(manifest.c_str(), &manifest_before), 0);
  fs::copy_file(project / "certs/dev/eta_server.pem", project / "certs/dev/eta2_server.cer",
                fs::copy_options::overwrite_existing);
  ASSERT_EQ(Trustc("build main.trust -o " + Quoted(out), project), 0);
  EXPECT_TRUE(matches_cold_build()) << "after one certificate changed";
  struct stat manifest_after {};
  ASSERT_EQ(::stat(manifest.c_str(), &manifest_after), 0);
  EXPECT_NE(manifest_before.st_ino, manifest_after.st_ino) << "the changed manifest was reused";

  std::string text = ReadTree(out).at("gateways/api_gateway.install.bundle");
  text.replace(text.find("trustAnchor"), 11, "trustAnchoR");
  std::ofstream(bundle, std::ios::trunc) << text;
  ASSERT_EQ(Trustc("build main.trust -o " + Quoted(out), project), 0);
  EXPECT_TRUE(matches_cold_build()) << "after an artifact was tampered with";
}

// A build whose inputs did not change keeps the output directory as it is (its inode stays:
// a build that writes replaces the directory as a whole); any change to what it was made from,
// or to the directory itself, builds again, and the result is still a cold build's.
class UpToDateTest : public BuildTest {
 protected:
  void SetUp() override {
    project_ = CopyExample("p");
    // A local module too, so that an imported file is among the inputs.
    std::string main = test::ReadFile(project_ / "main.trust");
    std::ofstream(project_ / "main.trust", std::ios::trunc) << "import \"./local/defs\"\n" << main;
    fs::create_directories(project_ / "local");
    std::ofstream(project_ / "local" / "defs.trust")
        << "cert extra_ca {\n  file \"../certs/dev/gateway-ca.pem\"\n"
        << "  allow unused_cert because \"for the next gateway\"\n}\n";
  }

  // Builds into out_, at a fixed time inside the example's certificates' validity unless
  // `extra` gives one.
  int Build(const std::string& extra = "") {
    std::string now = extra.find("--now") == std::string::npos ? " --now 2030-01-01T00:00:00Z" : "";
    return Trustc("build main.trust -o " + Quoted(out_) + now + " " + extra, project_);
  }

  static void Replace(const fs::path& file, const std::string& from, const std::string& to) {
    std::string text = test::ReadFile(file);
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(file, std::ios::trunc) << text;
  }

  ino_t OutInode() const {
    struct stat st {};
    return ::stat(out_.c_str(), &st) == 0 ? st.st_ino : 0;
  }

  // Builds again; true when the directory was kept rather than written.
  bool Kept(const std::string& extra = "") {
    ino_t before = OutInode();
    EXPECT_EQ(Build(extra), 0);
    return OutInode() == before;
  }

  // What a build of `project` into ../out at `now` prints (both streams).
  std::string Said(const std::string& now, const fs::path& project) {
    test::ProcessResult result = test::RunProcess(
        {test_support::TrustcPath(), "build", "main.trust", "-o", "../out", "--now", now},
        {.cwd = project});
    return result.out + result.err;
  }

  bool MatchesAColdBuild(const std::string& extra = "") {
    fs::path cold = tmp_ / ("cold-" + std::to_string(++cold_builds_));
    EXPECT_EQ(Trustc("build main.trust -o " + Quoted(cold) + " --now 2030-01-01T00:00:00Z " + extra,
                     project_),
              0);
    return ReadTree(out_) == ReadTree(cold);
  }

  fs::path project_;
  fs::path out_ = tmp_ / "out";
  int cold_builds_ = 0;
};

// An edit of layout or comments alone cannot change what is built: the directory is kept, and
// it is still what a cold build of the edited sources writes.
TEST_F(UpToDateTest, AnEditOfLayoutOrCommentsKeepsTheDirectory) {
  ASSERT_EQ(Build(), 0);
  Replace(project_ / "main.trust", "cert eta_server { file", "cert eta_server {\n  /* why */ file");
  std::ofstream(project_ / "main.trust", std::ios::app) << "\n\n// a closing comment\n";
  std::ofstream(project_ / "local" / "defs.trust", std::ios::app) << "/* more */";
  EXPECT_TRUE(Kept());
  EXPECT_TRUE(MatchesAColdBuild());
  // The same edit inside a string is a change.
  Replace(project_ / "main.trust", "\"API Gateway SSL\"", "\"API  Gateway SSL\"");
  EXPECT_FALSE(Kept());
  EXPECT_TRUE(MatchesAColdBuild());
}

TEST_F(UpToDateTest, AnUnchangedProjectKeepsTheDirectoryAndSaysSo) {
  ASSERT_EQ(Build(), 0);
  ASSERT_TRUE(fs::is_regular_file(out_ / ".trustc-build"));
  auto before = ReadTree(out_);
  EXPECT_TRUE(Kept());
  EXPECT_EQ(ReadTree(out_), before);
  std::string said = Said("2030-06-01T00:00:00Z", project_);
  // The example's two notes (revocation off, on purpose) are counted, not repeated.
  EXPECT_NE(said.find("2 note(s); ../out is up to date (the 8 files"), std::string::npos) << said;
  EXPECT_EQ(said.find("revocation checking is off"), std::string::npos) << said;
  // JSON and SARIF consumers get every diagnostic of a full build.
  EXPECT_FALSE(Kept("--diagnostics-format json"));
  EXPECT_TRUE(MatchesAColdBuild());
  // The record names no absolute path: a copied project with its build stays up to date.
  EXPECT_EQ(test::ReadFile(out_ / ".trustc-build").find(tmp_.string()), std::string::npos);
  fs::path copy = tmp_ / "copy";
  fs::create_directories(copy);
  fs::copy(project_, copy / "p", fs::copy_options::recursive);
  fs::copy(out_, copy / "out", fs::copy_options::recursive);
  said = Said("2030-01-01T00:00:00Z", copy / "p");
  EXPECT_NE(said.find("../out is up to date"), std::string::npos) << said;
}

TEST_F(UpToDateTest, EveryChangedInputBuildsAgain) {
  const fs::path certs = project_ / "certs" / "dev";
  const std::vector<std::pair<std::string, std::function<void()>>> changes = {
      {"a token of the root",
       [&] { Replace(project_ / "main.trust", "\"API Gateway SSL\"", "\"SSL\""); }},
      {"a token of an imported module",
       [&] { Replace(project_ / "local" / "defs.trust", "next gateway", "gateway after next"); }},
      {"a certificate file",
       [&] {
         fs::copy_file(certs / "eta_server.pem", certs / "eta2_server.cer",
                       fs::copy_options::overwrite_existing);
       }},
      // Before any link is made in the directory: only the directory's own path changes.
      {"a certificate directory moved and linked back (same bytes)",
       [&] {
         fs::rename(certs, project_ / "certs" / "dev-moved");
         fs::create_directory_symlink("dev-moved", certs);
       }},
      {"a certificate path that now leads elsewhere (same bytes)",
       [&] {
         fs::copy_file(certs / "endpoint-ca.pem", certs / "endpoint-ca-copy.pem");
         fs::remove(certs / "endpoint-ca.pem");
         fs::create_symlink("endpoint-ca-copy.pem", certs / "endpoint-ca.pem");
       }},
      {"an artifact tampered with",
       [&] {
         std::ofstream(out_ / "gateways" / "api_gateway.install.bundle", std::ios::app) << " ";
       }},
      {"an artifact removed",
       [&] { fs::remove(out_ / "keystores" / "connector_xpress.manifest.json"); }},
      {"a file added to the directory", [&] { std::ofstream(out_ / "gateways" / "extra") << "x"; }},
      {"an artifact replaced by a link to its own bytes",
       [&] {
         fs::path bundle = out_ / "gateways" / "api_gateway.delete.bundle";
         fs::copy_file(bundle, tmp_ / "outside.bundle");
         fs::remove(bundle);
         fs::create_symlink(tmp_ / "outside.bundle", bundle);
       }},
      {"an artifact given a second name outside the directory",
       [&] {
         fs::create_hard_link(out_ / "keystores" / "connector_server.manifest.json",
                              tmp_ / "second-name.json");
       }},
      {"the build record damaged",
       [&] { std::ofstream(out_ / ".trustc-build", std::ios::trunc) << "{\"format\": 2"; }},
      {"a certificate file's bytes, not its size (found by hashing)",
       [&] {
         std::string pem = test::ReadFile(certs / "eta_server.pem");
         ASSERT_EQ(pem.back(), '\n');
         pem.back() = ' ';
         std::ofstream(certs / "eta_server.pem", std::ios::trunc) << pem;
       }},
      // Read by the up-to-date check, which hands what it read to the build: the build must
      // take the bytes of the file as it is now, the other certificate's.
      {"a certificate file replaced by another certificate of the same size",
       [&] {
         std::string other = test::ReadFile(certs / "endpoint-ca.pem");
         std::string gateway_ca = test::ReadFile(certs / "gateway-ca.pem");
         ASSERT_GT(other.size(), gateway_ca.size());
         // The same size: the first certificate, followed by as many line ends as it lacks.
         std::ofstream(certs / "gateway-ca.pem", std::ios::trunc)
             << gateway_ca << std::string(other.size() - gateway_ca.size(), '\n');
         ASSERT_FALSE(Kept()) << "the padded certificate";
         ASSERT_TRUE(Kept()) << "the padded certificate, built";
         std::ofstream(certs / "gateway-ca.pem", std::ios::trunc) << other;
       }},
      {"the size the record gives a certificate (found without hashing)",
       [&] {
         std::string record = test::ReadFile(out_ / ".trustc-build");
         std::smatch size;
         ASSERT_TRUE(std::regex_search(record, size, std::regex("\"[0-9a-f]{64}\",\\s*([0-9]+)")));
         record.replace(size.position(1), size.length(1), std::to_string(std::stoul(size[1]) + 1));
         std::ofstream(out_ / ".trustc-build", std::ios::trunc) << record;
       }},
  };
  ASSERT_EQ(Build(), 0);
  for (const auto& [what, change] : changes) {
    SCOPED_TRACE(what);
    ASSERT_TRUE(Kept()) << "before the change";
    change();
    EXPECT_FALSE(Kept());
    EXPECT_TRUE(MatchesAColdBuild());
  }
}

TEST_F(UpToDateTest, OtherDefinesOrAnotherDateWindowBuildAgain) {
  // A second stage with the same certificates: -D changes the files read, not only their bytes.
  fs::copy(project_ / "certs" / "dev", project_ / "certs" / "prod");
  ASSERT_EQ(Build(), 0);
  EXPECT_FALSE(Kept("-D stage=prod"));
  EXPECT_TRUE(Kept("-D stage=prod"));
  EXPECT_FALSE(Kept());
  // The example's certificates are valid from 2025 to 2065: any time from their notBefore to
  // 30 days before their notAfter decides alike; a time after that warns that they expire.
  EXPECT_TRUE(Kept("--now 2025-01-01T00:00:00Z"));
  EXPECT_TRUE(Kept("--now 2064-12-01T00:00:00Z"));
  std::string said = Said("2064-12-31T00:00:00Z", project_);
  EXPECT_NE(said.find("expires on"), std::string::npos) << said;
  // A build with warnings vouches for nothing: the next one reports them again.
  EXPECT_FALSE(fs::exists(out_ / ".trustc-build"));
  said = Said("2064-12-31T00:00:00Z", project_);
  EXPECT_NE(said.find("expires on"), std::string::npos) << said;
}

TEST_F(UpToDateTest, ASignedBuildIsAlwaysMadeAgain) {
  fs::path key = tmp_ / "key.pem";
  ASSERT_EQ(Shell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " +
                  Quoted(key) + " 2>/dev/null"),
            0);
  ASSERT_EQ(Build("--sign-key " + Quoted(key)), 0);
  EXPECT_FALSE(fs::exists(out_ / ".trustc-build"));
  EXPECT_FALSE(Kept("--sign-key " + Quoted(key)));
  // Nor does an unsigned build keep a signed directory: SHA256SUMS.sig is not its to keep.
  ASSERT_EQ(Build("--sign-key " + Quoted(key)), 0);
  EXPECT_FALSE(Kept());
  EXPECT_FALSE(fs::exists(out_ / "SHA256SUMS.sig"));
}

TEST(WriteAtomically, AFailureWhileWritingLeavesNoPartialDirectory) {
  test::TempDir temp("trustc-atomic-test");
  const fs::path& tmp = temp.path();
  // "a" is written as a file, so "a/b" cannot be created: the write fails half-way.
  artifacts::ArtifactSet files = {{"a", "first"}, {"a/b", "second"}, {"c", "third"}};
  std::string error;
  EXPECT_FALSE(artifacts::WriteAtomically(files, (tmp / "out").string(), &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(fs::exists(tmp / "out"));
  EXPECT_TRUE(fs::is_empty(tmp)) << "a temporary directory was left behind";
  // And an existing directory survives the same failure untouched.
  fs::create_directories(tmp / "out");
  std::ofstream(tmp / "out" / "keep") << "kept";
  EXPECT_FALSE(artifacts::WriteAtomically(files, (tmp / "out").string(), &error));
  EXPECT_TRUE(fs::exists(tmp / "out" / "keep"));
}

// An artifact made of many small writes (as the XML and JSON printers make bundles), large
// enough to be streamed to its file rather than held.
artifacts::Artifact Streamed(std::string path, size_t pieces, bool fail_at_end = false) {
  return {std::move(path),
          [pieces, fail_at_end](base::ByteSink& out, std::string* error) {
            for (size_t i = 0; i < pieces; ++i)
              out.Write("<entry n=\"" + std::to_string(i) + "\"/>\n");
            if (fail_at_end) *error = "failed after writing";
            return !fail_at_end;
          },
          "", nullptr};
}

std::string StreamedBytes(size_t pieces) {
  std::string bytes;
  for (size_t i = 0; i < pieces; ++i) bytes += "<entry n=\"" + std::to_string(i) + "\"/>\n";
  return bytes;
}

// A previous build written by hand: each file with the SHA-256 SHA256SUMS lists for it (`listed`,
// its own unless given) and, when `key` is set, that input key in .trustc-inputs.
struct HandMadeFile {
  std::string path;
  std::string bytes;
  std::string key;
  std::string listed;
};

// An input key of 64 characters, as .trustc-inputs holds them, from a short one.
std::string Key(const std::string& key) { return std::string(64 - key.size(), '0') + key; }

void WriteHandMadeBuild(const fs::path& dir, const std::vector<HandMadeFile>& files) {
  std::string sums;
  std::string inputs;
  for (const HandMadeFile& file : files) {
    fs::create_directories((dir / file.path).parent_path());
    std::ofstream(dir / file.path, std::ios::binary) << file.bytes;
    fs::permissions(dir / file.path, fs::perms(0644));
    std::string sha256 = file.listed.empty() ? base::Sha256Hex(file.bytes) : file.listed;
    sums += sha256 + "  " + file.path + "\n";
    if (!file.key.empty()) inputs += Key(file.key) + "  " + file.path + "\n";
  }
  std::ofstream(dir / "SHA256SUMS") << sums;
  std::ofstream(dir / artifacts::kInputsFile) << inputs;
}

// What the background check of a previous build finds decides reuse: a file is linked only when
// its input key is unchanged, it is ours to link and it still hashes to its sum.
TEST(PreviousBuildCheck, ReusesOnlyUnchangedFilesOfOursThatStillHashToTheirSums) {
  test::TempDir temp("trustc-previous-build-test");
  fs::path dir = temp.path() / "out";
  WriteHandMadeBuild(dir, {{"certs/a.der", "a", "1", ""},
                           {"certs/tampered.der", "t", "2", base::Sha256Hex("not t")},
                           {"certs/private.der", "p", "3", ""},
                           {"certs/unkeyed.der", "u", "", ""}});
  fs::permissions(dir / "certs/private.der", fs::perms(0600));

  artifacts::PreviousBuildCheck check(dir.string() + "/");
  const artifacts::PreviousBuild& previous = check.Wait();
  EXPECT_EQ(previous.dir, dir);
  EXPECT_EQ(previous.ReuseFor("certs/a.der", Key("1")), artifacts::Reuse::kLinkable);
  EXPECT_EQ(previous.ReuseFor("certs/a.der", Key("9")), artifacts::Reuse::kNo) << "another key";
  EXPECT_EQ(previous.ReuseFor("certs/a.der", ""), artifacts::Reuse::kNo) << "no key";
  EXPECT_EQ(previous.ReuseFor("certs/tampered.der", Key("2")), artifacts::Reuse::kTampered);
  EXPECT_EQ(previous.ReuseFor("certs/private.der", Key("3")), artifacts::Reuse::kNo);
  EXPECT_EQ(previous.ReuseFor("certs/unkeyed.der", Key("4")), artifacts::Reuse::kNo);
  EXPECT_EQ(previous.ReuseFor("certs/missing.der", Key("1")), artifacts::Reuse::kNo);
  EXPECT_EQ(&check.Wait(), &previous) << "a second Wait gives the same answers";
}

TEST(PreviousBuildCheck, NoDirectoryOrALinkToOneHasNothingToReuse) {
  test::TempDir temp("trustc-previous-build-test");
  fs::path dir = temp.path() / "out";
  WriteHandMadeBuild(dir, {{"certs/a.der", "a", "1", ""}});
  fs::create_directory_symlink(dir, temp.path() / "link");
  for (const fs::path& path : {temp.path() / "none", temp.path() / "link"}) {
    artifacts::PreviousBuildCheck check(path.string());
    EXPECT_TRUE(check.Wait().dir.empty()) << path;
    EXPECT_EQ(check.Wait().ReuseFor("certs/a.der", Key("1")), artifacts::Reuse::kNo) << path;
  }
}

// A build that fails to compile destroys the check it started without waiting for it: the
// thread stops, whatever it had reached (under the sanitizers, no use after free).
TEST(PreviousBuildCheck, ACheckDestroyedBeforeItIsWaitedForStops) {
  test::TempDir temp("trustc-previous-build-test");
  fs::path dir = temp.path() / "out";
  std::vector<HandMadeFile> files;
  for (int i = 0; i < 2000; ++i) {
    files.push_back(
        {"certs/" + std::to_string(i) + ".der", std::to_string(i), std::to_string(i), ""});
  }
  WriteHandMadeBuild(dir, files);
  for (int round = 0; round < 20; ++round) {
    artifacts::PreviousBuildCheck check(dir.string());
  }
  artifacts::PreviousBuildCheck check(dir.string());
  EXPECT_EQ(check.Wait().ReuseFor("certs/1999.der", Key("1999")), artifacts::Reuse::kLinkable);
}

TEST(WriteBuild, AnArtifactLargerThanWhatIsHeldIsStreamedWhole) {
  test::TempDir temp("trustc-stream-test");
  constexpr size_t kPieces = 300000;  // about 5 MB, in 300,000 writes
  std::vector<artifacts::Artifact> list = {Streamed("gateways/big.bundle", kPieces),
                                           Streamed("gateways/small.bundle", 3)};
  std::string error;
  artifacts::BuildStats stats;
  ASSERT_TRUE(artifacts::WriteBuild(list, (temp.path() / "out").string(), &stats, nullptr, &error))
      << error;
  EXPECT_EQ(test::ReadFile(temp.path() / "out" / "gateways" / "big.bundle"),
            StreamedBytes(kPieces));
  EXPECT_EQ(test::ReadFile(temp.path() / "out" / "gateways" / "small.bundle"), StreamedBytes(3));
  EXPECT_EQ(artifacts::MakeBytes(list[0], &error), StreamedBytes(kPieces));
  // Again over the first build: the streamed file is written afresh, nothing is lost.
  ASSERT_TRUE(artifacts::WriteBuild(list, (temp.path() / "out").string(), &stats, nullptr, &error))
      << error;
  EXPECT_EQ(test::ReadFile(temp.path() / "out" / "gateways" / "big.bundle"),
            StreamedBytes(kPieces));
}

TEST(WriteBuild, AFailureAfterPartOfAnArtifactWasStreamedLeavesNothing) {
  test::TempDir temp("trustc-stream-fail-test");
  fs::create_directories(temp.path() / "out");
  std::ofstream(temp.path() / "out" / "keep") << "kept";
  std::vector<artifacts::Artifact> list = {Streamed("gateways/big.bundle", 300000, true)};
  std::string error;
  EXPECT_FALSE(
      artifacts::WriteBuild(list, (temp.path() / "out").string(), nullptr, nullptr, &error));
  EXPECT_EQ(error, "failed after writing");
  EXPECT_EQ(test::ReadFile(temp.path() / "out" / "keep"), "kept");
  EXPECT_FALSE(fs::exists(temp.path() / "out" / "gateways"));
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(temp.path())) ++entries;
  EXPECT_EQ(entries, 1u) << "a staging directory was left behind";
}

// An artifact whose make fails with `message` after writing a little.
artifacts::Artifact Failing(std::string path, std::string message) {
  return {std::move(path),
          [message](base::ByteSink& out, std::string* error) {
            out.Write("partial");
            *error = message;
            return false;
          },
          "", nullptr};
}

// Artifacts are made from several threads: the failure reported is the first in list order
// whichever thread met it, and the directory is left as it was.
TEST(WriteBuild, TheFirstFailureInListOrderIsReported) {
  test::TempDir temp("trustc-parallel-fail-test");
  fs::create_directories(temp.path() / "out");
  std::ofstream(temp.path() / "out" / "keep") << "kept";
  for (int run = 0; run < 5; ++run) {
    std::vector<artifacts::Artifact> list;
    for (int i = 0; i < 64; ++i) {
      std::string path = "certs/" + std::to_string(1000 + i) + ".der";
      list.push_back(i == 10 || i == 40 ? Failing(path, "failed " + std::to_string(i))
                                        : Streamed(path, 3));
    }
    std::string error;
    EXPECT_FALSE(
        artifacts::WriteBuild(list, (temp.path() / "out").string(), nullptr, nullptr, &error));
    EXPECT_EQ(error, "failed 10");
    EXPECT_EQ(test::ReadFile(temp.path() / "out" / "keep"), "kept");
    EXPECT_FALSE(fs::exists(temp.path() / "out" / "certs"));
  }
}

// An exception from a make (a certificate's DER that cannot be read back) reaches the caller
// from whichever thread made the artifact, and no staging directory is left behind.
TEST(WriteBuild, AnExceptionWhileMakingReachesTheCaller) {
  test::TempDir temp("trustc-parallel-throw-test");
  std::vector<artifacts::Artifact> list;
  for (int i = 0; i < 32; ++i) list.push_back(Streamed("certs/" + std::to_string(i), 3));
  list[20].make = [](base::ByteSink&, std::string*) -> bool {
    throw x509::DerUnavailable("cannot read back");
  };
  std::string error;
  EXPECT_THROW(
      artifacts::WriteBuild(list, (temp.path() / "out").string(), nullptr, nullptr, &error),
      x509::DerUnavailable);
  EXPECT_TRUE(fs::is_empty(temp.path())) << "a staging directory was left behind";
}

// An artifact marked after_others is made once every other one is.
TEST(WriteBuild, AnArtifactMadeAfterOthersSeesThemAllMade) {
  test::TempDir temp("trustc-after-others-test");
  auto made = std::make_shared<std::atomic<int>>(0);
  std::vector<artifacts::Artifact> list;
  for (int i = 0; i < 100; ++i) {
    list.push_back({"certs/" + std::to_string(i),
                    [made](base::ByteSink& out, std::string*) {
                      out.Write("x");
                      ++*made;
                      return true;
                    },
                    "", nullptr});
  }
  list.push_back({"SUMMARY",
                  [made](base::ByteSink& out, std::string*) {
                    out.Write(std::to_string(made->load()));
                    return true;
                  },
                  "", nullptr, /*after_others=*/true});
  std::string error;
  artifacts::BuildStats stats;
  ASSERT_TRUE(artifacts::WriteBuild(list, (temp.path() / "out").string(), &stats, nullptr, &error))
      << error;
  EXPECT_EQ(test::ReadFile(temp.path() / "out" / "SUMMARY"), "100");
  EXPECT_EQ(stats.made, 101u);
}

}  // namespace
}  // namespace trust
