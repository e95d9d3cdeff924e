// `trustc import` and `trustc pin`: from an estate configured by hand to `.trust` source.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "base/temp_dir.h"
#include "compiler/driver/cli_support.h"
#include "compiler/importer/importer.h"
#include "compiler/importer/names.h"
#include "compiler/importer/source_writer.h"
#include "compiler/importer/tls_fetch.h"
#include "compiler/review/fmt.h"

namespace trust::driver {
namespace {

namespace fs = std::filesystem;

struct ImportFlags {
  std::vector<std::string> bundles;
  std::vector<std::string> keystores;
  std::string output;
  bool verbose = false;
};

bool WriteFile(const fs::path& path, const std::string& bytes, std::string* error) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) *error = "cannot write " + path.string();
  return static_cast<bool>(out);
}

// Run through the formatter when it accepts the text; the writer already aims at its layout.
std::string Formatted(const std::string& display_path, const std::string& text) {
  source::SourceManager sources;
  diag::Emitter emitter;
  std::string error;
  std::optional<std::string> formatted =
      review::FormatSource(display_path, text, sources, emitter, &error);
  return formatted ? *formatted : text;
}

// Like `build`, import writes into a private directory beside the output, checks the program
// there, and only then renames the files into place: a failure leaves nothing behind.
class Staging {
 public:
  explicit Staging(fs::path final_dir) : final_dir_(std::move(final_dir)) {
    std::error_code ec;
    fs::create_directories(final_dir_, ec);
    dir_ = base::TempDir::Create(final_dir_, ".trustc-import-", &create_error_);
  }

  fs::path Staged(const fs::path& relative) const { return dir_.path() / relative; }

  bool Write(const fs::path& relative, const std::string& bytes, std::string* error) {
    if (!dir_.ok()) {
      *error = create_error_;
      return false;
    }
    std::error_code ec;
    fs::path path = Staged(relative);
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.close();
    if (!out) *error = "cannot write " + (final_dir_ / relative).string();
    written_.push_back(relative);
    return static_cast<bool>(out);
  }

  // Every target must be free or a regular file (which the writer has checked holds the same
  // bytes), so that no rename fails half-way through.
  bool Commit(std::string* error) {
    std::error_code ec;
    for (const fs::path& relative : written_) {
      fs::file_status status = fs::symlink_status(final_dir_ / relative, ec);
      if (fs::exists(status) && !fs::is_regular_file(status)) {
        *error = (final_dir_ / relative).string() + " exists and is not a regular file";
        return false;
      }
    }
    for (const fs::path& relative : written_) {
      fs::create_directories((final_dir_ / relative).parent_path(), ec);
      fs::rename(Staged(relative), final_dir_ / relative, ec);
      if (ec) {
        *error = "cannot write " + (final_dir_ / relative).string() + ": " + ec.message();
        return false;
      }
    }
    return true;
  }

 private:
  fs::path final_dir_;
  base::TempDir dir_;
  std::string create_error_;
  std::vector<fs::path> written_;
};

// The imported program must compile: anything else is a bug of import, said as such.
bool CompilesCleanly(const std::string& file, const std::string& shown, const CommonFlags& flags) {
  std::unique_ptr<Compilation> compilation = Compile(MakeOptions(file, flags));
  if (!compilation->program) {
    Report(*compilation, flags);
    std::cerr << "trustc: error: " << shown
              << ": the imported program does not compile (a bug of trustc import)\n";
    return false;
  }
  if (!flags.quiet) {
    SummaryStream(flags) << Summary(shown, *compilation)
                         << (compilation->emitter.diagnostics().empty()
                                 ? "\n"
                                 : "; `trustc check " + shown + "` shows the findings\n");
  }
  return true;
}

// Every waiver of the baseline, one a line, so that the team can burn them down.
void PrintBaseline(const std::vector<std::string>& waivers, const std::string& output) {
  if (waivers.empty()) return;
  std::cerr << "trustc: baseline: " << waivers.size() << " finding"
            << (waivers.size() == 1 ? "" : "s") << " of what is on the gateway waived with \""
            << ir::kBaselineReason << "\"; `trustc check --no-baseline " << output
            << "` shows them:\n";
  for (const std::string& waiver : waivers) std::cerr << "trustc: baseline:   " << waiver << "\n";
}

int RunImport(const ImportFlags& import, const CommonFlags& flags) {
  importer::ImportOptions options;
  options.bundles = import.bundles;
  options.output = import.output;
  options.now = MakeOptions(import.output, flags).build_time;
  for (const std::string& spec : import.keystores) {
    std::string error;
    auto keystore = importer::ParseKeystoreSpec(spec, &error);
    if (!keystore) throw UsageError{error};
    options.keystores.push_back(*keystore);
  }
  if (options.bundles.empty() && options.keystores.empty()) {
    throw UsageError{"import: give at least one BUNDLE or --keystore"};
  }
  std::string error;
  std::optional<importer::ImportResult> result = importer::Import(options, &error);
  if (!result) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  for (const std::string& warning : result->warnings) {
    std::cerr << "trustc: warning: " << warning << "\n";
  }
  for (const std::string& note : result->notes) std::cerr << "trustc: note: " << note << "\n";
  if (import.verbose) {
    for (const std::string& detail : result->details) std::cerr << "trustc:   " << detail << "\n";
  }
  PrintBaseline(result->baseline, import.output);
  fs::path output(import.output);
  Staging staging(output.parent_path().empty() ? fs::path(".") : output.parent_path());
  bool staged = true;
  for (const auto& [name, pem] : result->cert_files) {
    staged = staged && staging.Write(name, pem, &error);
  }
  staged =
      staged && staging.Write(output.filename(), Formatted(import.output, result->source), &error);
  if (!staged) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  // Checked where it was staged (the same layout), so a program that does not compile is
  // never left behind either.
  if (!CompilesCleanly(staging.Staged(output.filename()).string(), import.output, flags)) return 1;
  if (!staging.Commit(&error)) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  return 0;
}

struct PinFlags {
  std::string endpoint;
  std::string output;
  std::string sni;
  bool chain = false;
  int timeout = 10;
};

// CERTFILE, then CERTFILE with -1, -2, ... before the extension.
fs::path ChainFile(const fs::path& first, size_t index) {
  if (index == 0) return first;
  fs::path out = first;
  out.replace_filename(first.stem().string() + "-" + std::to_string(index) +
                       first.extension().string());
  return out;
}

std::string CertBlock(const x509::Certificate& cert, const fs::path& file) {
  const x509::CertFacts& facts = cert.facts();
  std::string cn = x509::CommonName(facts.SubjectDn()).value_or(file.stem().string());
  return "cert " + importer::Identifier(cn, "pinned") + " {\n  file    " +
         importer::Quote(file.generic_string()) + "\n  subject " + importer::Quote(facts.subject) +
         "\n  sha256  " + importer::Quote(facts.sha256) + "\n}\n";
}

int RunPin(const PinFlags& pin) {
  std::string error;
  std::optional<base::Endpoint> endpoint = base::ParseEndpoint(pin.endpoint, &error);
  if (!endpoint) throw UsageError{"pin: " + error};
  auto chain = importer::FetchPresentedChain(*endpoint, pin.sni, pin.timeout, &error);
  if (!chain) {
    std::cerr << "trustc: error: " << error << "\n";
    return 1;
  }
  size_t count = pin.chain ? chain->size() : 1;
  std::string blocks;
  for (size_t i = 0; i < count; ++i) {
    x509::LoadResult parsed = x509::ParseCertificate((*chain)[i]);
    const auto* cert = std::get_if<std::shared_ptr<const x509::Certificate>>(&parsed);
    if (cert == nullptr) {
      std::cerr << "trustc: error: " << pin.endpoint << " presented an unreadable certificate\n";
      return 1;
    }
    fs::path file = ChainFile(pin.output, i);
    if (!WriteFile(file, importer::CertificatePem(**cert), &error)) {
      std::cerr << "trustc: error: " << error << "\n";
      return 1;
    }
    blocks += (i == 0 ? "" : "\n") + CertBlock(**cert, file);
  }
  std::cout << blocks;
  return 0;
}

}  // namespace

void AddImportCommands(CLI::App& app, CommonFlags& flags, CommandTable& table) {
  auto import_flags = std::make_shared<ImportFlags>();
  CLI::App* import = app.add_subcommand(
      "import", "Turn existing gateway bundles and keystores into .trust source");
  import->add_option(
      "BUNDLE", import_flags->bundles,
      "RESTMAN bundles (gateway or GMU exports), Graphman bundles (.json) or exploded directories");
  import
      ->add_option("--keystore", import_flags->keystores,
                   "PATH:FORMAT[:ENVVAR] (jks, pkcs12, pem); the password is read from ENVVAR, "
                   "default TRUSTC_KEYSTORE_PASSWORD")
      ->allow_extra_args(false);  // one spec per --keystore: never swallow a BUNDLE
  import->add_option("-o,--output", import_flags->output, "The .trust file to write")->required();
  import->add_flag("-v,--verbose", import_flags->verbose,
                   "Also list each entry that a note summarises (e.g. every `debian:` alias)");
  AddCommonFlags(*import, flags);
  table.push_back({import, [import_flags, &flags] { return RunImport(*import_flags, flags); }});

  auto pin_flags = std::make_shared<PinFlags>();
  CLI::App* pin = app.add_subcommand(
      "pin", "Save the certificate a TLS endpoint presents and print a `cert` block with its pin");
  pin->add_option("ENDPOINT", pin_flags->endpoint, "HOST:PORT")->required();
  pin->add_option("-o,--output", pin_flags->output, "Certificate file (PEM) to write")->required();
  pin->add_option("--sni", pin_flags->sni, "Server name to send (default: HOST unless an IP)");
  pin->add_flag("--chain", pin_flags->chain,
                "Save every presented certificate: CERTFILE, CERTFILE-1, ...");
  pin->add_option("--timeout", pin_flags->timeout, "Seconds for connect and handshake (default 10)")
      ->check(CLI::Range(1, 600));
  table.push_back({pin, [pin_flags] { return RunPin(*pin_flags); }});
}

}  // namespace trust::driver
