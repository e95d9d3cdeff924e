// End-to-end tests of the `trustc` command line (cli.md): exit codes, output formats, common
// flags and environment. Each test writes its inputs into a fresh temporary directory and runs
// the real binary (tests/support/process.h), capturing stdout and stderr.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/temp_tree.h"

namespace {

namespace fs = std::filesystem;

using trust::test::ProcessResult;

std::string CertsDir() {
  return std::string(trust::test_support::SourceDir()) + "/tests/golden/certs";
}

class CliTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directory(dir_ / "certs");
    for (const char* name : {"root-ca.pem", "server-ca.pem", "expires-2027.pem", "leaf.pem"}) {
      fs::copy_file(fs::path(CertsDir()) / name, dir_ / "certs" / name);
    }
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  // Runs trustc with `args` in the temporary directory. `env` entries (NAME=VALUE) are added to
  // a minimal environment; stderr is a file, never a terminal.
  ProcessResult Trustc(const std::vector<std::string>& args,
                       const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {trust::test_support::TrustcPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> minimal_env = {"PATH=/usr/bin:/bin", "LANG=C"};
    minimal_env.insert(minimal_env.end(), env.begin(), env.end());
    return trust::test::RunProcess(
        argv, {.env = minimal_env, .inherit_environment = false, .cwd = dir_.string()});
  }

  trust::test::TempDir temp_{"trustc-cli"};
  fs::path dir_ = temp_.path();
};

const char* kClean =
    "cert root { file \"certs/root-ca.pem\" }\ngateway gw { trust root { anchor } }\n";
const char* kWarning =
    "cert root { file \"certs/root-ca.pem\" }\ncert spare { file \"certs/server-ca.pem\" }\n"
    "gateway gw { trust root { anchor } }\n";
const char* kError =
    "cert root { file \"certs/root-ca.pem\" }\ngateway gw { trust rot { anchor } }\n";
// expires-2027.pem: valid until 2027-02-01; expired after that, expiring soon within 30 days.
const char* kDated =
    "cert soon { file \"certs/expires-2027.pem\" }\ngateway gw { trust soon { anchor } }\n";

// ---- exit codes -------------------------------------------------------------------------------

TEST_F(CliTest, CleanExitsZeroWithSummary) {
  Write("main.trust", kClean);
  ProcessResult run = Trustc({"check", "main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("main.trust: 0 error(s), 0 warning(s)"), std::string::npos) << run.out;
}

TEST_F(CliTest, WarningsOnlyExitZero) {
  Write("main.trust", kWarning);
  ProcessResult run = Trustc({"check", "main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.err.find("warning:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("[unused_cert]"), std::string::npos);
}

TEST_F(CliTest, WerrorPromotesWarningToExitOne) {
  Write("main.trust", kWarning);
  ProcessResult run = Trustc({"check", "--werror", "main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("main.trust:2:6: error:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("[unused_cert]"), std::string::npos);
}

TEST_F(CliTest, ErrorsExitOne) {
  Write("main.trust", kError);
  ProcessResult run = Trustc({"check", "main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("main.trust:2:20: error: unknown certificate `rot` [unknown_name]"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("did you mean `root`?"), std::string::npos);
}

// `-D stage=prod` makes `certs/${stage}/...` another path: the error shows it as expanded too.
TEST_F(CliTest, AnUnreadableInterpolatedPathIsShownExpanded) {
  Write("main.trust",
        "param stage = \"dev\"\ncert root { file \"certs/${stage}/root-ca.pem\" }\n"
        "gateway gw { trust root { anchor } }\n");
  ProcessResult run = Trustc({"check", "main.trust", "-D", "stage=prod"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("`certs/${stage}/root-ca.pem` (`certs/prod/root-ca.pem`)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("[cert_unreadable]"), std::string::npos) << run.err;
}

TEST_F(CliTest, MissingRootFileIsFileUnreadable) {
  ProcessResult run = Trustc({"check", "nope.trust"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("[file_unreadable]"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nope.trust"), std::string::npos);
}

TEST_F(CliTest, DirectoryAsRootFileIsFileUnreadable) {
  fs::create_directory(dir_ / "dir.trust");
  ProcessResult run = Trustc({"check", "dir.trust"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("is a directory [file_unreadable]"), std::string::npos) << run.err;
}

// Mode 000 files cannot be stored in git: made here. Root reads them anyway: skip then.
TEST_F(CliTest, UnreadableRootFileIsFileUnreadable) {
  Write("locked.trust", kClean);
  fs::permissions(dir_ / "locked.trust", fs::perms::none);
  if (access((dir_ / "locked.trust").c_str(), R_OK) == 0) GTEST_SKIP() << "running as root";
  ProcessResult run = Trustc({"check", "locked.trust"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("permission denied [file_unreadable]"), std::string::npos) << run.err;
}

TEST_F(CliTest, UnreadableImportIsFileUnreadable) {
  Write("locked.trust", "template trust t { anchor }\n");
  fs::permissions(dir_ / "locked.trust", fs::perms::none);
  if (access((dir_ / "locked.trust").c_str(), R_OK) == 0) GTEST_SKIP() << "running as root";
  Write("main.trust", std::string("import \"./locked\"\n") + kClean);
  ProcessResult run = Trustc({"check", "main.trust"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("main.trust:1:8: error: cannot read `locked.trust`: permission denied "
                         "[file_unreadable]"),
            std::string::npos)
      << run.err;
}

TEST_F(CliTest, UnreadableCertificateIsCertUnreadable) {
  fs::permissions(dir_ / "certs" / "root-ca.pem", fs::perms::none);
  if (access((dir_ / "certs" / "root-ca.pem").c_str(), R_OK) == 0)
    GTEST_SKIP() << "running as root";
  Write("main.trust", kClean);
  ProcessResult run = Trustc({"check", "main.trust"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("main.trust:1:18: error: cannot read certificate file "
                         "`certs/root-ca.pem`: permission denied [cert_unreadable]"),
            std::string::npos)
      << run.err;
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  Write("main.trust", kClean);
  EXPECT_EQ(Trustc({"check", "--no-such-flag", "main.trust"}).status, 2);
  EXPECT_EQ(Trustc({"check"}).status, 2);  // missing FILE
  EXPECT_EQ(Trustc({}).status, 2);         // missing subcommand
  EXPECT_EQ(Trustc({"frobnicate", "main.trust"}).status, 2);
  EXPECT_EQ(Trustc({"check", "main.trust", "--diagnostics-format", "xml"}).status, 2);
  ProcessResult bad_now = Trustc({"check", "main.trust", "--now", "yesterday"});
  EXPECT_EQ(bad_now.status, 2);
  EXPECT_NE(bad_now.err.find("--now"), std::string::npos) << bad_now.err;
  // A malformed offset used to abort (uncaught std::invalid_argument); out-of-range fields were
  // silently normalised into another date.
  for (const char* now :
       {"2027-01-01T00:00:00+ab:cd", "2027-13-45T99:99:99Z", "2027-02-29T00:00:00Z",
        "2027-01-01T00:00:00+24:00", "2027-01-01T00:00:00+1:000", "+027-01-01T00:00:00Z"}) {
    ProcessResult run = Trustc({"check", "main.trust", "--now", now});
    EXPECT_EQ(run.status, 2) << now;
    EXPECT_NE(run.err.find("--now"), std::string::npos) << now << ": " << run.err;
  }
  EXPECT_EQ(Trustc({"check", "main.trust", "--now", "2028-02-29T23:59:59-05:30"}).status, 0);
  EXPECT_EQ(Trustc({"check", "main.trust"}, {"SOURCE_DATE_EPOCH=12abc"}).status, 2);
  EXPECT_EQ(Trustc({"check", "main.trust"}, {"SOURCE_DATE_EPOCH=99999999999999999999"}).status, 2);
  ProcessResult bad_define = Trustc({"check", "main.trust", "-D", "stage"});
  EXPECT_EQ(bad_define.status, 2);
  EXPECT_NE(bad_define.err.find("NAME=VALUE"), std::string::npos) << bad_define.err;
  EXPECT_EQ(Trustc({"check", "main.trust", "-D", "=x"}).status, 2);
  ProcessResult bad_epoch = Trustc({"check", "main.trust"}, {"SOURCE_DATE_EPOCH=soon"});
  EXPECT_EQ(bad_epoch.status, 2);
}

TEST_F(CliTest, AnUnknownCommandIsNamed) {
  ProcessResult run = Trustc({"nosuchcmd", "main.trust"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("trustc: unknown command 'nosuchcmd'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(" check "), std::string::npos) << run.err;  // the list of commands
  EXPECT_NE(run.err.find("--help"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("subcommand is required"), std::string::npos) << run.err;
  ProcessResult flagged = Trustc({"--werror", "nosuchcmd"});  // an option before it changes nothing
  EXPECT_EQ(flagged.status, 2);
}

// check writes no artifact but does fill the facts cache: its help must not say "write nothing".
TEST_F(CliTest, CheckHelpMentionsTheFactsCache) {
  ProcessResult help = Trustc({"check", "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out.find("write nothing"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("facts cache"), std::string::npos) << help.out;
}

TEST_F(CliTest, HelpAndVersionExitZero) {
  EXPECT_EQ(Trustc({"--version"}).status, 0);
  ProcessResult help = Trustc({"check", "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--werror"), std::string::npos);
}

// ---- diagnostics formats ----------------------------------------------------------------------

// `trustc check --diagnostics-format json > diags.json` captures the whole document: stdout holds
// exactly one JSON (or SARIF) document, and stderr no JSON at all (the summary line goes there).
TEST_F(CliTest, MachineDiagnosticsAreTheWholeOfStdout) {
  Write("main.trust", kError);
  for (const char* format : {"json", "sarif"}) {
    ProcessResult run = Trustc({"check", "main.trust", "--diagnostics-format", format});
    EXPECT_EQ(run.status, 1) << format;
    nlohmann::json doc = nlohmann::json::parse(run.out);  // throws (fails the test) if not one doc
    if (std::string(format) == "sarif") {
      EXPECT_EQ(doc["version"], "2.1.0");
    }
    EXPECT_EQ(run.err.find('{'), std::string::npos) << format << ": " << run.err;
    EXPECT_EQ(run.err.find('['), std::string::npos) << format << ": " << run.err;
  }
  Write("main.trust", kClean);
  ProcessResult clean = Trustc(
      {"check", "main.trust", "--diagnostics-format", "json", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(clean.status, 0) << clean.err;
  EXPECT_TRUE(nlohmann::json::parse(clean.out).empty()) << clean.out;
  EXPECT_NE(clean.err.find("main.trust: 0 error(s)"), std::string::npos) << clean.err;
}

TEST_F(CliTest, JsonDiagnostics) {
  Write("main.trust", kError);
  ProcessResult run = Trustc({"check", "main.trust", "--diagnostics-format", "json"});
  EXPECT_EQ(run.status, 1);
  nlohmann::json doc = nlohmann::json::parse(run.out);  // throws (fails the test) if invalid
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 2u) << run.out;  // unknown_name (error) and unused_cert (warning)
  const auto& d = doc[0];                // sorted by line: the warning at 1:6 first
  EXPECT_EQ(d["id"], "unused_cert");
  EXPECT_EQ(d["severity"], "warning");
  EXPECT_TRUE(d["notes"].is_array());
  const auto& e = doc[1];
  for (const char* key :
       {"file", "line", "column", "end_line", "end_column", "severity", "id", "message", "notes"}) {
    EXPECT_TRUE(e.contains(key)) << key << " missing in " << e.dump();
  }
  EXPECT_EQ(e["file"], "main.trust");
  EXPECT_EQ(e["line"], 2);
  EXPECT_EQ(e["column"], 20);
  EXPECT_EQ(e["end_line"], 2);
  EXPECT_EQ(e["end_column"], 23);  // exclusive
  EXPECT_EQ(e["severity"], "error");
  EXPECT_EQ(e["id"], "unknown_name");
  EXPECT_NE(e["message"].get<std::string>().find("`rot`"), std::string::npos);
  ASSERT_TRUE(e["notes"].is_array());
  ASSERT_EQ(e["notes"].size(), 1u);
  EXPECT_NE(e["notes"][0].dump().find("did you mean"), std::string::npos);
}

TEST_F(CliTest, JsonDiagnosticsOfCleanInputIsEmptyArray) {
  Write("main.trust", kClean);
  ProcessResult run = Trustc(
      {"check", "main.trust", "--diagnostics-format", "json", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 0);
  nlohmann::json doc = nlohmann::json::parse(run.out);
  EXPECT_TRUE(doc.is_array());
  EXPECT_TRUE(doc.empty());
}

TEST_F(CliTest, JsonDiagnosticWithoutPlace) {
  Write("main.trust", kClean);
  ProcessResult run =
      Trustc({"check", "main.trust", "-D", "unknown=x", "--diagnostics-format", "json"});
  EXPECT_EQ(run.status, 1);
  nlohmann::json doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc.size(), 1u) << run.out;
  EXPECT_EQ(doc[0]["id"], "unknown_define");
}

// File names are bytes: one that is not UTF-8 used to abort every JSON writer
// (nlohmann type_error.316, exit 134). It is written with U+FFFD in its place.
TEST_F(CliTest, JsonOutputOfNonUtf8FileName) {
  const std::string name = "caf\xe9.trust";
  Write(name, kError);
  for (const char* format : {"json", "sarif"}) {
    ProcessResult run = Trustc({"check", name, "--diagnostics-format", format});
    EXPECT_EQ(run.status, 1) << format << ": " << run.err;
    nlohmann::json doc = nlohmann::json::parse(run.out);
    EXPECT_NE(doc.dump().find("caf\xef\xbf\xbd.trust"), std::string::npos) << doc.dump();
  }
  Write(name, kClean);
  Write("main.trust", kClean);
  ProcessResult diff = Trustc({"diff", "main.trust", name, "--format", "json"});
  EXPECT_EQ(diff.status, 0) << diff.err;
  nlohmann::json doc = nlohmann::json::parse(diff.out);
  EXPECT_EQ(doc["new"], "caf\xef\xbf\xbd.trust");
}

// A file name, a source line or a note may carry control characters (ESC sequences repaint a
// reviewer's terminal): text output shows them escaped, never raw.
TEST_F(CliTest, ControlCharactersAreShownEscaped) {
  const std::string name = "evil\x1b[2J.trust";
  Write(name,
        "cert root { file \"certs/root-ca.pem\" } // \x1b]0;owned\x07\n"
        "gateway gw { trust rot { anchor } }\n");
  ProcessResult check = Trustc({"check", name, "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(check.status, 1);
  EXPECT_EQ(check.err.find_first_of("\x1b\x07"), std::string::npos) << check.err;
  EXPECT_NE(check.err.find("evil\\u{1b}[2J.trust:2:20: error"), std::string::npos) << check.err;
  EXPECT_NE(check.err.find("// \u241b]0;owned\u2407"), std::string::npos) << check.err;  // ␛, ␇

  Write("noted.trust",
        "cert root { file \"certs/root-ca.pem\" note \"tab\\there\" }\n"
        "gateway gw { trust root { anchor } }\n");
  ProcessResult explain =
      Trustc({"explain", "noted.trust", "root", "--now", "2026-06-01T00:00:00Z"});
  EXPECT_EQ(explain.status, 0) << explain.err;
  EXPECT_NE(explain.out.find("tab\\there"), std::string::npos) << explain.out;
  EXPECT_EQ(explain.out.find('\t'), std::string::npos) << explain.out;

  Write(name, kClean);
  Write("main.trust", kClean);
  ProcessResult diff = Trustc({"diff", "main.trust", name, "--format", "markdown"});
  EXPECT_EQ(diff.status, 0) << diff.err;
  EXPECT_EQ(diff.out.find('\x1b'), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("evil\\u{1b}[2J.trust"), std::string::npos) << diff.out;
}

// --stdlib DIR: `std/` paths stay inside DIR (no absolute path, no link out of it), and a
// stdlib module cannot name certificate files (they would resolve against the working
// directory, outside the project root checks).
TEST_F(CliTest, StdlibPathsStayInsideTheStdlibDirectory) {
  fs::create_directories(dir_ / "std");
  fs::create_directories(dir_ / "elsewhere");
  std::ofstream(dir_ / "elsewhere/evil.trust") << "cert x { file \"/etc/hostname\" }\n";
  fs::create_symlink(dir_ / "elsewhere/evil.trust", dir_ / "std/linked.trust");
  std::ofstream(dir_ / "std/names_file.trust") << "cert x { file \"../certs/root-ca.pem\" }\n";
  auto check = [&](const std::string& import) {
    Write("main.trust", "import \"" + import + "\"\n" + kClean);
    return Trustc({"check", "main.trust", "--stdlib", "std", "--now", "2026-06-01T00:00:00Z"});
  };
  ProcessResult absolute = check("std/" + (dir_ / "elsewhere/evil").string());
  EXPECT_EQ(absolute.status, 1);
  EXPECT_NE(absolute.err.find("[import_path_invalid]"), std::string::npos) << absolute.err;
  ProcessResult linked = check("std/linked");
  EXPECT_EQ(linked.status, 1);
  EXPECT_NE(linked.err.find("[import_not_found]"), std::string::npos) << linked.err;
  ProcessResult names_file = check("std/names_file");
  EXPECT_EQ(names_file.status, 1);
  EXPECT_NE(names_file.err.find("a standard library module cannot name certificate files"),
            std::string::npos)
      << names_file.err;
  for (const char* bad : {"std/../x", "std/a//b", "std/a/", "std/a.b"}) {
    ProcessResult run = check(bad);
    EXPECT_NE(run.err.find("[import_path_invalid]"), std::string::npos) << bad << ": " << run.err;
  }
}

TEST_F(CliTest, SarifDiagnostics) {
  Write("main.trust", kError);
  ProcessResult run = Trustc({"check", "main.trust", "--diagnostics-format", "sarif"});
  EXPECT_EQ(run.status, 1);
  nlohmann::json doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["version"], "2.1.0");
  ASSERT_TRUE(doc["runs"].is_array());
  ASSERT_FALSE(doc["runs"].empty());
  const auto& run0 = doc["runs"][0];
  EXPECT_EQ(run0["tool"]["driver"]["name"], "trustc");
  ASSERT_TRUE(run0["results"].is_array());
  ASSERT_EQ(run0["results"].size(), 2u);
  EXPECT_EQ(run0["results"][0]["ruleId"], "unused_cert");
  EXPECT_EQ(run0["results"][0]["level"], "warning");
  const auto& result = run0["results"][1];
  EXPECT_EQ(result["ruleId"], "unknown_name");
  EXPECT_EQ(result["level"], "error");
  ASSERT_TRUE(result["locations"].is_array());
  ASSERT_FALSE(result["locations"].empty());
  const auto& physical = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "main.trust");
  EXPECT_EQ(physical["region"]["startLine"], 2);
  EXPECT_EQ(physical["region"]["startColumn"], 20);
}

TEST_F(CliTest, NoColorWhenNotATerminalOrNoColorSet) {
  Write("main.trust", kError);
  ProcessResult run = Trustc({"check", "main.trust"});
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos);
  ProcessResult no_color = Trustc({"check", "main.trust"}, {"NO_COLOR=1", "TERM=xterm-256color"});
  EXPECT_EQ(no_color.err.find('\x1b'), std::string::npos);
}

TEST_F(CliTest, QuietPrintsErrorsOnly) {
  Write("main.trust", kWarning);
  ProcessResult run = Trustc({"check", "-q", "main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, "");
}

// ---- build time -------------------------------------------------------------------------------

TEST_F(CliTest, NowChangesDateRules) {
  Write("main.trust", kDated);
  ProcessResult before = Trustc({"check", "main.trust", "--now", "2026-06-01T00:00:00Z"});
  EXPECT_EQ(before.status, 0);
  EXPECT_EQ(before.err, "");
  ProcessResult soon = Trustc({"check", "main.trust", "--now", "2027-01-15T00:00:00Z"});
  EXPECT_EQ(soon.status, 0);
  EXPECT_NE(soon.err.find("[expires_soon]"), std::string::npos) << soon.err;
  ProcessResult after = Trustc({"check", "main.trust", "--now", "2027-03-01T00:00:00Z"});
  EXPECT_EQ(after.status, 1);
  EXPECT_NE(after.err.find("[expired]"), std::string::npos) << after.err;
  // An offset: 2027-02-01T01:00:00+02:00 is 2027-01-31T23:00:00Z, still valid.
  ProcessResult offset = Trustc({"check", "main.trust", "--now", "2027-02-01T01:00:00+02:00"});
  EXPECT_EQ(offset.status, 0) << offset.err;
}

TEST_F(CliTest, SourceDateEpochChangesDateRules) {
  Write("main.trust", kDated);
  // 1780272000 = 2026-06-01T00:00:00Z; 1803859200 = 2027-03-01T00:00:00Z.
  ProcessResult before = Trustc({"check", "main.trust"}, {"SOURCE_DATE_EPOCH=1780272000"});
  EXPECT_EQ(before.status, 0) << before.err;
  EXPECT_EQ(before.err, "");
  ProcessResult after = Trustc({"check", "main.trust"}, {"SOURCE_DATE_EPOCH=1803859200"});
  EXPECT_EQ(after.status, 1);
  EXPECT_NE(after.err.find("[expired]"), std::string::npos) << after.err;
  // --now wins over SOURCE_DATE_EPOCH.
  ProcessResult both = Trustc({"check", "main.trust", "--now", "2026-06-01T00:00:00Z"},
                              {"SOURCE_DATE_EPOCH=1803859200"});
  EXPECT_EQ(both.status, 0) << both.err;
}

// ---- params, roots ----------------------------------------------------------------------------

TEST_F(CliTest, DefineOverridesParam) {
  fs::create_directories(dir_ / "certs" / "prod");
  fs::copy_file(dir_ / "certs" / "server-ca.pem", dir_ / "certs" / "prod" / "root-ca.pem");
  Write("main.trust",
        "param stage = \"missing\"\ncert root { file \"certs/${stage}/root-ca.pem\" }\n"
        "gateway gw { trust root { anchor } }\n");
  ProcessResult without = Trustc({"check", "main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(without.status, 1);
  EXPECT_NE(without.err.find("[cert_unreadable]"), std::string::npos) << without.err;
  ProcessResult with =
      Trustc({"check", "main.trust", "-D", "stage=prod", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(with.status, 0) << with.err;
}

TEST_F(CliTest, DefineOfUnknownParamIsUnknownDefine) {
  Write("main.trust", kClean);
  ProcessResult run = Trustc({"check", "main.trust", "-D", "unknown=x"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(
      run.err.find("error: -D unknown: no module declares a param `unknown` [unknown_define]"),
      std::string::npos)
      << run.err;
}

TEST_F(CliTest, AllowOutsideRoot) {
  fs::create_directory(dir_ / "project");
  Write("project/main.trust",
        "cert root { file \"../certs/root-ca.pem\" }\ngateway gw { trust root { anchor } }\n");
  ProcessResult denied = Trustc({"check", "project/main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(denied.status, 1);
  EXPECT_NE(denied.err.find("project/main.trust:1:18: error:"), std::string::npos) << denied.err;
  EXPECT_NE(denied.err.find("[outside_root]"), std::string::npos);
  ProcessResult allowed = Trustc(
      {"check", "project/main.trust", "--allow-outside-root", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(allowed.status, 0) << allowed.err;
}

TEST_F(CliTest, SymlinkOutOfRootIsOutsideRoot) {
  fs::create_directory(dir_ / "project");
  fs::create_symlink(dir_ / "certs", dir_ / "project" / "certs");
  Write("project/main.trust", kClean);
  ProcessResult run = Trustc({"check", "project/main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("[outside_root]"), std::string::npos) << run.err;
}

// The file's own name a link (certificate files are opened relative to their resolved
// directory, without following a link there): followed, and judged where it leads.
TEST_F(CliTest, CertificateFileLinkedOutOfRootIsOutsideRoot) {
  fs::create_directories(dir_ / "project" / "certs");
  fs::create_symlink(dir_ / "certs" / "root-ca.pem", dir_ / "project" / "certs" / "root-ca.pem");
  Write("project/main.trust", kClean);
  ProcessResult run = Trustc({"check", "project/main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("[outside_root]"), std::string::npos) << run.err;
}

TEST_F(CliTest, CertificateFileLinkedInsideRootIsRead) {
  fs::create_directories(dir_ / "project" / "certs");
  fs::copy_file(dir_ / "certs" / "root-ca.pem", dir_ / "project" / "root-ca.pem");
  fs::create_symlink("../root-ca.pem", dir_ / "project" / "certs" / "root-ca.pem");
  Write("project/main.trust", kClean);
  ProcessResult run = Trustc({"check", "project/main.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 0) << run.err;
}

TEST_F(CliTest, SeveralFilesOneFailing) {
  Write("good.trust", kClean);
  Write("bad.trust", kError);
  ProcessResult run = Trustc({"check", "good.trust", "bad.trust", "--now", "2030-01-01T00:00:00Z"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.out.find("good.trust: 0 error(s)"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("bad.trust:2:20"), std::string::npos) << run.err;
}

TEST_F(CliTest, ExampleScenarioChecksClean) {
  fs::path example =
      fs::path(trust::test_support::SourceDir()) / "examples" / "ca-im-scim" / "main.trust";
  ProcessResult run = Trustc({"check", example.string(), "--now", "2027-01-15T00:00:00Z"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.find("warning"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("error"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("0 error(s), 0 warning(s)"), std::string::npos) << run.out;
}

}  // namespace
