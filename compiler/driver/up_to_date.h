// `trustc build` keeps an output directory that already holds what the build would write.
//
// A build without errors or warnings (notes are counted) records in the output directory's
// .trustc-build what it was made from as a whole: a key of everything besides files that
// decides the result (this trustc: version and build ID; the root file's name; the -D
// defines; --no-baseline), the window of build times in which every date rule decides alike
// (ir::DateWindow), and every file it read (the root, each imported module, each certificate
// file): the path the compiler resolved and where that led, both relative to the project
// root, and the SHA-256 of the content (of a module: of its lexical form,
// parse/lexical_form.h, so that a change of layout or comments alone keeps the directory).
// The next build with the same key at a time inside the window resolves and hashes each of
// those files again; when all lead to the same files with the same content and the directory
// still holds exactly what its SHA256SUMS lists (artifacts::VerifyBuild), it is kept as it is:
// nothing is parsed, checked, lowered or written. Anything else (a changed token or
// certificate byte, a path that now leads elsewhere, a file added to, changed in or missing
// from the directory, an unreadable record) means a full build, which writes a new record or
// none.
#pragma once

#include <optional>
#include <string>

#include "compiler/driver/pipeline.h"

namespace trust::driver {

// The .trustc-build text for a build of `compilation`, or nullopt when the build cannot vouch
// for everything it was made from or should be reported again: an error or a warning (a note,
// which marks a choice the program made on purpose, is counted), --sign-key (a signature is
// made anew), --stdlib or --allow-outside-root (files outside the project), a language-server
// session or an editor overlay (bytes not read from disk).
std::optional<std::string> MakeBuildRecord(const Compilation& compilation,
                                           const CompileOptions& options);

struct KeptBuild {
  size_t artifacts = 0;  // the files SHA256SUMS lists, each checked
  size_t notes = 0;      // the notes of the build that made them (not repeated)
};

// What `out_dir` holds when a build with `options` would write exactly that (see above);
// nullopt when it must build. When only certificate files changed, every one is read, and what
// was read goes to `read_ahead` for that build to load (sema::CertificateBytesReadAhead).
std::optional<KeptBuild> KeptUpToDate(const CompileOptions& options, const std::string& out_dir,
                                      sema::CertificateBytesReadAhead* read_ahead = nullptr);

}  // namespace trust::driver
