// `trustc fmt`, `diff`, `graph`, `explain`, `explain-rule`: the reviewer's tools.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/file_read.h"
#include "base/file_write.h"
#include "base/temp_dir.h"
#include "base/version.h"
#include "compiler/diag/json_text.h"
#include "compiler/diag/render.h"
#include "compiler/driver/cli_support.h"
#include "compiler/driver/graphman_migration.h"
#include "compiler/limits.h"
#include "compiler/review/diff.h"
#include "compiler/review/explain.h"
#include "compiler/review/fmt.h"
#include "compiler/review/graph.h"

namespace trust::driver {
namespace {

namespace fs = std::filesystem;

bool Colour(int fd) { return isatty(fd) != 0 && std::getenv("NO_COLOR") == nullptr; }

int Fail(const std::string& message) {
  std::cerr << "trustc: error: " << diag::EscapeControls(message) << "\n";
  return 1;
}

struct FmtFlags {
  std::vector<std::string> files;
  bool check = false;
  bool write = false;
};

// 0 formatted (or already canonical), 1 input error, 3 not canonical (for --check).
int FmtOne(const std::string& file, const FmtFlags& fmt) {
  std::string why;
  std::optional<std::string> text = base::ReadRegularFile(file, limits::kMaxSourceBytes, &why);
  if (!text) return Fail(file + ": cannot read the file: " + why);
  source::SourceManager sources;
  diag::Emitter emitter;
  std::string error;
  std::optional<std::string> formatted =
      review::FormatSource(file, *text, sources, emitter, &error);
  if (!formatted) {
    diag::RenderOptions options{Colour(STDERR_FILENO), TRUST_VERSION};
    std::cerr << diag::RenderText(emitter.diagnostics(), sources, options);
    return error.empty() ? 1 : Fail(error);
  }
  if (fmt.check) {
    if (*formatted == *text) return 0;
    std::cout << file << "\n";
    return 3;
  }
  if (fmt.write) {
    if (*formatted != *text && !base::WriteFileAtomically(file, *formatted, &error))
      return Fail(error);
    return 0;
  }
  std::cout << *formatted;
  return 0;
}

int RunFmt(const FmtFlags& fmt) {
  bool failed = false, unformatted = false;
  for (const std::string& file : fmt.files) {
    int rc = FmtOne(file, fmt);
    failed = failed || rc == 1;
    unformatted = unformatted || rc == 3;
  }
  return failed || unformatted ? 1 : 0;
}

void AddFmt(CLI::App& app, CommandTable& table) {
  auto fmt = std::make_shared<FmtFlags>();
  CLI::App* command = app.add_subcommand("fmt", "Canonical formatting of .trust files");
  command->add_option("FILE", fmt->files, ".trust files")->required();
  auto* check = command->add_flag("--check", fmt->check, "List unformatted files; exit 1 if any");
  auto* write = command->add_flag("--write", fmt->write, "Rewrite the files in place (atomically)");
  check->excludes(write);
  table.push_back({command, [fmt] { return RunFmt(*fmt); }});
}

// Compiles FILE; prints only errors (warnings belong to `check`). Null on failure.
std::unique_ptr<Compilation> CompileQuietly(const std::string& file, const CommonFlags& flags) {
  CompileOptions options = MakeOptions(file, flags);
  options.list_artifacts = true;  // `diff` compares them
  std::unique_ptr<Compilation> compilation = Compile(options);
  CommonFlags quiet = flags;
  quiet.quiet = true;
  if (Report(*compilation, quiet, std::cerr) || !compilation->program) return nullptr;
  return compilation;
}

// Compiles FILE and prints only its errors (warnings belong to `check`). The program is kept
// despite errors: someone asking why a certificate is trusted often asks because the program
// stopped compiling (it expired, say), and the answer about what resolved still helps. Null
// only when nothing could be checked (a syntax error, an unreadable root).
struct Answerable {
  std::unique_ptr<Compilation> compilation;
  bool had_errors = false;
};

Answerable CompileForAnswer(const std::string& file, const CommonFlags& flags) {
  CompileOptions options = MakeOptions(file, flags);
  options.partial = true;
  Answerable out{Compile(options)};
  CommonFlags quiet = flags;
  quiet.quiet = true;
  out.had_errors = Report(*out.compilation, quiet, std::cerr);
  if (out.had_errors)
    std::cerr << "trustc: the program has errors (above); answering from what resolved\n";
  if (!out.compilation->program) out.compilation.reset();
  return out;
}

struct GraphFlags {
  std::string file;
  std::string format = "dot";
};

void AddGraph(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto graph = std::make_shared<GraphFlags>();
  CLI::App* command = app.add_subcommand("graph", "The trust graph, as Graphviz DOT or mermaid");
  command->add_option("FILE", graph->file, "Root .trust file")->required();
  command->add_option("--format", graph->format, "dot or mermaid")
      ->check(CLI::IsMember({"dot", "mermaid"}));
  AddCommonFlags(*command, flags);
  table.push_back({command, [graph, &flags] {
                     auto [compilation, had_errors] = CompileForAnswer(graph->file, flags);
                     if (!compilation) return 1;
                     const ir::Program& program = *compilation->program;
                     // Names and subjects come from certificates: no raw control character
                     // reaches the terminal or the renderer.
                     std::cout << diag::EscapeControls(graph->format == "mermaid"
                                                           ? review::GraphMermaid(program)
                                                           : review::GraphDot(program),
                                                       /*keep_line_breaks=*/true);
                     return had_errors ? 1 : 0;
                   }});
}

struct ExplainFlags {
  std::string file;
  std::string name;
};

void AddExplain(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto explain = std::make_shared<ExplainFlags>();
  CLI::App* command = app.add_subcommand(
      "explain", "Where a certificate (or gateway.provider.user) is trusted, by whom, and why");
  command->add_option("FILE", explain->file, "Root .trust file")->required();
  command->add_option("NAME", explain->name, "A certificate, or gateway.provider.user")->required();
  AddCommonFlags(*command, flags);
  table.push_back({command, [explain, &flags] {
                     auto [compilation, had_errors] = CompileForAnswer(explain->file, flags);
                     if (!compilation) return 1;
                     std::string error;
                     auto text = review::Explain(*compilation->program, compilation->sources,
                                                 explain->name, &error);
                     if (!text) return Fail(error);
                     std::cout << diag::EscapeControls(*text, /*keep_line_breaks=*/true);
                     return had_errors ? 1 : 0;
                   }});

  auto id = std::make_shared<std::string>();
  CLI::App* rule = app.add_subcommand("explain-rule", "The long explanation of a diagnostic ID");
  rule->add_option("ID", *id, "A diagnostic ID or lint rule, e.g. revocation_off")->required();
  table.push_back({rule, [id] {
                     std::optional<diag::Kind> kind = diag::KindFromId(*id);
                     if (!kind) throw UsageError{"unknown diagnostic ID " + diag::Quote(*id)};
                     std::cout << review::ExplainRule(*kind);
                     return 0;
                   }});
}

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; its stdout, or nullopt when it fails.
std::optional<std::string> Run(const std::string& command) {
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  if (pclose(pipe) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// One side of a diff: a file, or `git:REV:path` materialised with `git archive` in a temporary
// directory so that imports and certificate files resolve at that revision too.
class DiffSide {
 public:
  // The path to compile; throws UsageError for a malformed spec, returns nullopt on git trouble.
  std::optional<std::string> Resolve(const std::string& spec, std::string* error);

 private:
  base::TempDir temp_dir_;
};

std::optional<std::string> DiffSide::Resolve(const std::string& spec, std::string* error) {
  if (!spec.starts_with("git:")) return spec;
  size_t colon = spec.find(':', 4);
  if (colon == std::string::npos || colon == 4 || colon + 1 == spec.size()) {
    throw UsageError{spec + ": expected git:REV:path"};
  }
  std::string rev = spec.substr(4, colon - 4), path = spec.substr(colon + 1);
  std::optional<std::string> prefix = Run("git rev-parse --show-prefix");
  if (!prefix) {
    *error = spec + ": the current directory is not in a git repository";
    return std::nullopt;
  }
  // As for `git show REV:path`: relative to the repository root, or to the current directory
  // when written `./path`.
  std::string in_repo =
      path.starts_with("./") ? (fs::path(*prefix) / path.substr(2)).string() : path;
  in_repo = fs::path(in_repo).lexically_normal().generic_string();
  if (!Run("git cat-file -e " + ShellQuote(rev + ":" + in_repo))) {
    *error = spec + ": no file " + in_repo + " at revision " + rev;
    return std::nullopt;
  }
  temp_dir_ = base::TempDir::CreateInTmp("trustc-diff-", error);
  if (!temp_dir_.ok()) {
    *error = spec + ": " + *error;
    return std::nullopt;
  }
  std::string top = Run("git rev-parse --show-toplevel").value_or(".");
  if (!Run("git -C " + ShellQuote(top) + " archive " + ShellQuote(rev) + " | tar -x -C " +
           ShellQuote(temp_dir_.path().string()))) {
    *error = spec + ": git archive of " + rev + " failed";
    return std::nullopt;
  }
  return (temp_dir_.path() / in_repo).string();
}

struct DiffFlags {
  std::string old_spec, new_spec;
  std::string format = "text";
  std::string gateway;  // --format graphman
  bool exit_code = false;
};

// Compiles one side with its diagnostics captured: only errors are shown.
std::unique_ptr<Compilation> CompileSide(const std::string& spec, DiffSide& side,
                                         const CommonFlags& flags) {
  std::string error;
  std::optional<std::string> path = side.Resolve(spec, &error);
  if (!path) {
    Fail(error);
    return nullptr;
  }
  return CompileQuietly(*path, flags);
}

int RunDiff(const DiffFlags& diff, const CommonFlags& flags) {
  int trouble = diff.exit_code ? 2 : 1;
  DiffSide old_side, new_side;
  auto old_compilation = CompileSide(diff.old_spec, old_side, flags);
  if (!old_compilation) return trouble;
  auto new_compilation = CompileSide(diff.new_spec, new_side, flags);
  if (!new_compilation) return trouble;
  const ir::Program& a = *old_compilation->program;
  const ir::Program& b = *new_compilation->program;
  if (diff.format == "graphman") {
    std::string error;
    std::optional<std::string> bundle = GraphmanMigration(a, b, diff.gateway, &error);
    if (!bundle) {
      Fail(error);
      return trouble;
    }
    std::cout << *bundle;
    return 0;
  }
  review::DiffResult result = review::Diff(
      {&*old_compilation->program, review::LintFindings(a, old_compilation->emitter.diagnostics()),
       diff.old_spec, &old_compilation->artifacts},
      {&*new_compilation->program, review::LintFindings(b, new_compilation->emitter.diagnostics()),
       diff.new_spec, &new_compilation->artifacts});
  if (diff.format == "json") {
    std::cout << diag::JsonText(review::RenderJson(result)) << "\n";
  } else if (diff.format == "markdown") {
    std::cout << review::RenderMarkdown(result);
  } else {
    std::cout << review::RenderText(result, Colour(STDOUT_FILENO));
  }
  if (!diff.exit_code) return 0;
  return result.Same() ? 0 : 1;
}

void AddDiff(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto diff = std::make_shared<DiffFlags>();
  CLI::App* command = app.add_subcommand(
      "diff", "Semantic diff of two programs (files or git:REV:path), in trust terms");
  command->add_option("OLD", diff->old_spec, "Old root file, or git:REV:path")->required();
  command->add_option("NEW", diff->new_spec, "New root file, or git:REV:path")->required();
  command
      ->add_option("--format", diff->format,
                   "text, markdown, json, or graphman (the bundle deleting what left)")
      ->check(CLI::IsMember({"text", "markdown", "json", "graphman"}));
  command->add_option("--gateway", diff->gateway, "With --format graphman: the gateway");
  command->add_flag("--exit-code", diff->exit_code, "Exit 0 if same, 1 if different, 2 on trouble");
  AddCommonFlags(*command, flags);
  table.push_back({command, [diff, &flags] { return RunDiff(*diff, flags); }});
}

}  // namespace

void AddReviewCommands(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  AddFmt(app, table);
  AddDiff(app, flags, table);
  AddGraph(app, flags, table);
  AddExplain(app, flags, table);
}

}  // namespace trust::driver
