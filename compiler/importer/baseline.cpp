#include "compiler/importer/baseline.h"

#include <fstream>

#include "base/temp_dir.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/driver/pipeline.h"
#include "compiler/ir/ir.h"

namespace trust::importer {
namespace {

namespace fs = std::filesystem;

bool WriteAll(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  return static_cast<bool>(out);
}

bool SameRange(const source::SourceRange& a, const source::SourceRange& b) {
  return a.file == b.file && a.begin == b.begin && a.end == b.end;
}

// Errors and warnings of lint rules only: notes inform, and compiler errors are bugs of the
// writer that the driver reports as such.
bool ToWaive(const diag::Diagnostic& d) {
  return diag::Info(d.kind).is_lint && d.severity != diag::Severity::Note &&
         d.kind != diag::Kind::unused_allow;
}

// Lint findings are reported at the range of the certificate or of the trust they concern.
void Attribute(const diag::Diagnostic& d, const ir::Program& program, Baseline* baseline) {
  std::string rule(diag::Info(d.kind).id);
  for (const ir::Cert& cert : program.certs) {
    if (SameRange(cert.range, d.range)) {
      baseline->cert_rules[cert.name].push_back(rule);
      return;
    }
  }
  for (const ir::Gateway& gateway : program.gateways) {
    for (const ir::Trust& trust : gateway.trusts) {
      if (SameRange(trust.range, d.range)) {
        baseline->trust_rules[{gateway.name, program.cert(trust.cert).name}].push_back(rule);
        return;
      }
    }
  }
  // Anything else (a user's DN) cannot be waived: it stays a finding of the import summary.
}

}  // namespace

std::vector<std::string> Baseline::Lines() const {
  std::vector<std::string> lines;
  for (const auto& [cert, rules] : cert_rules) {
    for (const std::string& rule : rules) lines.push_back("cert " + cert + ": " + rule);
  }
  for (const auto& [where, rules] : trust_rules) {
    for (const std::string& rule : rules) {
      lines.push_back("gateway " + where.first + ", trust " + where.second + ": " + rule);
    }
  }
  return lines;
}

std::optional<Baseline> FindBaseline(const std::string& source,
                                     const std::map<std::string, std::string>& cert_files,
                                     int64_t now, std::string* error) {
  std::string temp_error;
  base::TempDir dir = base::TempDir::CreateInTmp("trustc-baseline-", &temp_error);
  bool written = dir.ok() && WriteAll(dir.path() / "imported.trust", source);
  for (const auto& [name, pem] : cert_files) written = written && WriteAll(dir.path() / name, pem);
  if (!written) {
    *error = "cannot write a temporary copy of the imported program to check it" +
             (dir.ok() ? std::string() : ": " + temp_error);
    return std::nullopt;
  }
  driver::CompileOptions options;
  options.root_path = (dir.path() / "imported.trust").string();
  options.build_time = now;
  options.partial = true;  // the findings of what resolved, even where an error stops a build
  std::unique_ptr<driver::Compilation> compilation = driver::Compile(options);
  Baseline baseline;
  if (!compilation->program) return baseline;  // the driver reports what went wrong
  for (const diag::Diagnostic& d : compilation->emitter.diagnostics()) {
    if (ToWaive(d)) Attribute(d, *compilation->program, &baseline);
  }
  return baseline;
}

}  // namespace trust::importer
