// trustc diff: golden outputs over pairs of programs (tests/review/diff/NAME.{old,new}.trust,
// sidecars NAME.diff.txt and NAME.diff.json, plus one .diff.md), the JSON schema of
// docs/review.md, and `git:REV:path` against a temporary repository.
#include "compiler/review/diff.h"

#include <nlohmann/json.hpp>
#include <set>

#include "tests/review/support.h"

namespace trust::review_test {
namespace {

using nlohmann::json;

fs::path DiffDir() { return ReviewDir() / "diff"; }

std::vector<std::string> Pairs() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(DiffDir())) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".old.trust")) names.push_back(name.substr(0, name.size() - 10));
  }
  std::sort(names.begin(), names.end());
  return names;
}

review::DiffResult DiffPair(const std::string& name) {
  auto a = CompileIn(DiffDir(), name + ".old.trust");
  auto b = CompileIn(DiffDir(), name + ".new.trust");
  EXPECT_TRUE(a->program && b->program) << name << " does not compile";
  if (!a->program || !b->program) return {};
  return review::Diff({&*a->program, review::LintFindings(*a->program, a->emitter.diagnostics()),
                       name + ".old.trust", &a->artifacts},
                      {&*b->program, review::LintFindings(*b->program, b->emitter.diagnostics()),
                       name + ".new.trust", &b->artifacts});
}

// The schema of docs/review.md, checked field by field.
void CheckSchema(const json& doc) {
  static const std::set<std::string> kKinds = {"trust_added",
                                               "trust_removed",
                                               "cert_rotated",
                                               "trust_renamed",
                                               "purposes_changed",
                                               "anchor_changed",
                                               "hostname_changed",
                                               "revocation_changed",
                                               "provider_added",
                                               "provider_removed",
                                               "provider_renamed",
                                               "provider_changed",
                                               "provider_trust_added",
                                               "provider_trust_removed",
                                               "user_added",
                                               "user_removed",
                                               "user_dn_changed",
                                               "user_cert_changed",
                                               "user_cert_attached",
                                               "user_cert_detached",
                                               "user_cert_rotated",
                                               "user_login_changed",
                                               "user_details_changed",
                                               "entry_added",
                                               "entry_removed",
                                               "entry_rotated",
                                               "entry_realiased",
                                               "entry_changed",
                                               "remove_added",
                                               "remove_dropped",
                                               "gateway_setting_changed",
                                               "keystore_setting_changed",
                                               "policy_setting_changed"};
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.at("schema"), "trustc-diff/1");
  EXPECT_TRUE(doc.at("old").is_string() && doc.at("new").is_string());
  EXPECT_TRUE(doc.at("same").is_boolean() && doc.at("summary").is_string());
  EXPECT_TRUE(doc.at("change_count").is_number_unsigned());
  for (const json& c : doc.at("components")) {
    EXPECT_TRUE(c.at("kind") == "gateway" || c.at("kind") == "keystore" ||
                c.at("kind") == "policy");
    EXPECT_TRUE(c.at("name").is_string());
    EXPECT_TRUE(c.at("status") == "added" || c.at("status") == "removed" ||
                c.at("status") == "changed");
    for (const json& change : c.at("changes")) {
      EXPECT_TRUE(kKinds.contains(change.at("kind").get<std::string>())) << change.at("kind");
      std::string op = change.at("op");
      EXPECT_TRUE(op == "added" || op == "removed" || op == "changed") << op;
      EXPECT_TRUE(change.at("entity").is_string() && change.at("message").is_string());
      EXPECT_TRUE(change.contains("old") && change.contains("new"));
    }
  }
  for (const char* list : {"appeared", "disappeared"}) {
    for (const json& f : doc.at("lint").at(list)) {
      for (const char* key : {"id", "severity", "entity", "label", "message"}) {
        EXPECT_TRUE(f.at(key).is_string()) << key;
      }
    }
  }
  EXPECT_TRUE(doc.at("other_artifacts").is_array());
}

TEST(Diff, GoldenPairs) {
  std::vector<std::string> pairs = Pairs();
  ASSERT_GE(pairs.size(), 9u);
  for (const std::string& name : pairs) {
    SCOPED_TRACE(name);
    review::DiffResult result = DiffPair(name);
    ExpectGolden(DiffDir() / (name + ".diff.txt"), review::RenderText(result, false));
    json doc = review::RenderJson(result);
    ExpectGolden(DiffDir() / (name + ".diff.json"), doc.dump(2) + "\n");
    CheckSchema(json::parse(doc.dump()));
  }
  ExpectGolden(DiffDir() / "users.diff.md", review::RenderMarkdown(DiffPair("users")));
}

// Every change kind the issue lists is produced by some pair.
TEST(Diff, PairsCoverEveryChangeKind) {
  std::set<std::string> kinds;
  bool lint_appeared = false, lint_disappeared = false;
  for (const std::string& name : Pairs()) {
    review::DiffResult result = DiffPair(name);
    for (const auto& c : result.components) {
      kinds.insert(c.kind + ":" + c.status);
      for (const auto& change : c.changes) kinds.insert(change.kind);
    }
    lint_appeared = lint_appeared || !result.lint_appeared.empty();
    lint_disappeared = lint_disappeared || !result.lint_disappeared.empty();
  }
  for (const char* kind :
       {"trust_added",       "trust_removed",        "cert_rotated",       "purposes_changed",
        "anchor_changed",    "hostname_changed",     "revocation_changed", "provider_added",
        "provider_removed",  "user_added",           "user_removed",       "user_dn_changed",
        "user_cert_changed", "provider_trust_added", "entry_added",        "entry_removed",
        "entry_rotated",     "entry_realiased",      "gateway:added",      "gateway:removed",
        "keystore:added",    "keystore:removed",     "user_cert_attached", "user_cert_detached",
        "user_cert_rotated", "user_login_changed"}) {
    EXPECT_TRUE(kinds.contains(kind)) << "no pair produces " << kind;
  }
  EXPECT_TRUE(lint_appeared && lint_disappeared);
}

TEST(Diff, RenameWithNoEffectIsNoChange) {
  review::DiffResult result = DiffPair("rename_no_effect");
  EXPECT_TRUE(result.Same());
  EXPECT_EQ(review::RenderText(result, false), "no change in trust\n");
}

TEST(Diff, ChangedRevocationReasonAndUserDn) {
  std::string revocation = review::RenderText(DiffPair("revocation"), false);
  EXPECT_NE(revocation.find("reason changed from \"the root CA publishes no CRL\""),
            std::string::npos);
  std::string users = review::RenderText(DiffPair("users"), false);
  EXPECT_NE(users.find("user `bob` of `Partner Provider`: DN"), std::string::npos);
}

int Git(const std::string& args, const fs::path& repo) {
  std::string command = "cd '" + repo.string() + "' && git -c user.name=t -c user.email=t@t " +
                        "-c commit.gpgsign=false " + args + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Imports are resolved at the revision: the old side's module comes from the commit.
TEST(DiffCommand, GitRevisionAgainstTemporaryRepository) {
  TempDir temp;
  fs::path repo = temp.path() / "repo";
  fs::create_directories(repo / "lib");
  fs::copy(DiffDir() / "certs", repo / "certs", fs::copy_options::recursive);
  WriteText(
      repo / "main.trust",
      "import \"./lib/certs\"\n\ngateway gw {\n  trust certs.partner { anchor for ssl }\n}\n");
  WriteText(repo / "lib" / "certs.trust", "cert partner { file \"../certs/root-ca.pem\" }\n");
  ASSERT_EQ(Git("init -q", repo), 0);
  ASSERT_EQ(Git("add -A", repo), 0);
  ASSERT_EQ(Git("commit -q -m base", repo), 0);
  std::string now = " --now 2027-01-15T00:00:00Z";
  test::ProcessResult same = Trustc("diff git:HEAD:main.trust main.trust --exit-code" + now, repo);
  EXPECT_EQ(same.status, 0) << same.out;
  EXPECT_EQ(same.out, "no change in trust\n");
  WriteText(repo / "lib" / "certs.trust", "cert partner { file \"../certs/server-ca.pem\" }\n");
  test::ProcessResult changed =
      Trustc("diff git:HEAD:main.trust main.trust --exit-code --format json" + now, repo);
  EXPECT_EQ(changed.status, 1);
  json doc = json::parse(changed.out);
  CheckSchema(doc);
  EXPECT_EQ(doc["components"][0]["changes"][0]["kind"], "cert_rotated");
  fs::create_directories(repo / "sub");
  test::ProcessResult from_sub =
      Trustc("diff git:HEAD:main.trust ../main.trust --exit-code" + now, repo / "sub");
  EXPECT_EQ(from_sub.status, 1);
  EXPECT_EQ(Trustc("diff git:HEAD:missing.trust main.trust --exit-code" + now, repo).status, 2);
  EXPECT_EQ(Trustc("diff git:NOREV:main.trust main.trust --exit-code" + now, repo).status, 2);
}

TEST(DiffCommand, MarkdownAndExitCodes) {
  test::ProcessResult md = Trustc(
      "diff rotation.old.trust rotation.new.trust --format markdown --now 2027-01-15T00:00:00Z",
      DiffDir());
  EXPECT_EQ(md.status, 0);
  EXPECT_TRUE(md.out.starts_with("### Trust changes: ")) << md.out;
  EXPECT_NE(md.out.find("#### Keystore `ks`"), std::string::npos);
  EXPECT_EQ(Trustc("diff rotation.old.trust nothing.trust --exit-code", DiffDir()).status, 2);
  EXPECT_EQ(Trustc("diff rotation.old.trust nothing.trust", DiffDir()).status, 1);
  EXPECT_EQ(Trustc("diff a b --format xml", DiffDir()).status, 2);
}

}  // namespace
}  // namespace trust::review_test
