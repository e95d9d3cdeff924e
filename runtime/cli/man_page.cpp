#include "runtime/cli/man_page.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

namespace trust::cli {
namespace {

namespace fs = std::filesystem;

bool Visible(const CLI::App* app) { return !app->get_group().empty(); }
bool Visible(const CLI::Option* opt) { return !opt->get_group().empty(); }

std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return Visible(sub); });
}

std::vector<const CLI::Option*> Positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* opt) {
    return Visible(opt) && opt->get_positional() && !opt->nonpositional();
  });
}

std::vector<const CLI::Option*> Flags(const CLI::App& app) {
  return app.get_options(
      [](const CLI::Option* opt) { return Visible(opt) && opt->nonpositional(); });
}

std::vector<std::string> Names(const CLI::Option* opt) {
  std::vector<std::string> names;
  for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
  for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
  return names;
}

bool TakesValue(const CLI::Option* opt) { return opt->get_items_expected_max() > 0; }

bool IsVector(const CLI::Option* opt) {
  return opt->get_expected_max() >= CLI::detail::expected_max_vector_size ||
         opt->get_items_expected_max() >= CLI::detail::expected_max_vector_size;
}

// The values of an IsMember check, from the type name CLI11 prints: "TEXT:{text,json}".
std::vector<std::string> Choices(const CLI::Option* opt) {
  std::string type = opt->get_type_name();
  size_t open = type.find('{');
  size_t close = type.find('}', open == std::string::npos ? 0 : open);
  std::vector<std::string> choices;
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::stringstream list(type.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(list, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    if (!item.empty()) choices.push_back(item);
  }
  return choices;
}

std::string BaseType(const CLI::Option* opt) {
  std::string type = opt->get_type_name();
  return type.substr(0, type.find(':'));
}

bool IsNumeric(const CLI::Option* opt) {
  std::string base = BaseType(opt);
  return base == "INT" || base == "UINT" || base == "FLOAT" || base == "NUMBER";
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

// What a value or positional should complete to.
enum class Completion { kNone, kFiles, kTrustFiles, kChoices };

Completion PositionalCompletion(const CLI::Option* opt) {
  std::string text = opt->get_description();
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto has = [&text](const char* word) { return text.find(word) != std::string::npos; };
  if (has(".trust") || has("root file")) return Completion::kTrustFiles;
  if (has("file") || has("bundle") || has("manifest") || has("keystore") || has("director")) {
    return Completion::kFiles;
  }
  return Completion::kNone;
}

Completion ValueCompletion(const CLI::Option* opt) {
  if (!Choices(opt).empty()) return Completion::kChoices;
  if (IsNumeric(opt)) return Completion::kNone;
  return Completion::kFiles;
}

// ---------------------------------------------------------------------------------------- roff

// Escapes running text: backslashes, and control characters at the start of a line.
std::string Roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

// Escapes a command or option name: hyphens are minus signs there, so they copy and paste.
std::string RoffName(std::string_view name) {
  std::string out;
  for (char c : Roff(name)) {
    if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string ValueLabel(const CLI::Option* opt) {
  std::vector<std::string> choices = Choices(opt);
  if (!choices.empty()) return "{" + Join(choices, "|") + "}";
  return BaseType(opt);
}

std::string CommandLine(const CLI::App& command) {
  std::vector<std::string> parts;
  for (const CLI::App* app = &command; app != nullptr; app = app->get_parent()) {
    parts.insert(parts.begin(), app->get_name());
  }
  return Join(parts, " ");
}

void Paragraphs(std::ostream& out, const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\n\n", start);
    std::string para =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!para.empty()) out << ".PP\n" << Roff(para) << "\n";
    if (end == std::string::npos) break;
    start = end + 2;
  }
}

void EntryList(std::ostream& out, const Entries& entries) {
  for (const auto& [term, meaning] : entries) {
    out << ".TP\n.B " << RoffName(term) << "\n" << Roff(meaning) << "\n";
  }
}

// The description, then what CLI11 enforces: "Requires --sums.", "Repeatable.".
std::string Describe(const CLI::Option* opt) {
  std::string text = opt->get_description();
  std::vector<std::string> notes;
  if (opt->get_required() && opt->nonpositional()) notes.push_back("Required.");
  if (!opt->get_default_str().empty()) notes.push_back("Default: " + opt->get_default_str() + ".");
  if (TakesValue(opt) && IsVector(opt) && opt->nonpositional()) notes.push_back("Repeatable.");
  std::vector<std::string> needs;
  for (const CLI::Option* other : opt->get_needs()) needs.push_back(other->get_name());
  if (!needs.empty()) notes.push_back("Requires " + Join(needs, ", ") + ".");
  std::vector<std::string> excludes;
  for (const CLI::Option* other : opt->get_excludes()) excludes.push_back(other->get_name());
  if (!excludes.empty()) notes.push_back("Cannot be combined with " + Join(excludes, ", ") + ".");
  if (notes.empty()) return text;
  if (!text.empty() && text.back() != '.') text += ".";
  return Join({text, Join(notes, " ")}, " ");
}

std::string PageRef(const std::string& page) {
  size_t paren = page.find('(');
  if (paren == std::string::npos) return "\\fB" + RoffName(page) + "\\fR(1)";
  return "\\fB" + RoffName(page.substr(0, paren)) + "\\fR" + page.substr(paren);
}

const CLI::App& Root(const CLI::App& command) {
  const CLI::App* app = &command;
  while (app->get_parent() != nullptr) app = app->get_parent();
  return *app;
}

// ----------------------------------------------------------------------------------------- bash

std::string Identifier(const std::string& name) {
  std::string out = name;
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string BashWords(const std::vector<std::string>& words) {
  return "\"" + Join(words, " ") + "\"";
}

void BashCompleteValue(std::ostream& out, Completion kind, const CLI::Option* opt,
                       const std::string& files_fn) {
  switch (kind) {
    case Completion::kChoices:
      out << "mapfile -t COMPREPLY < <(compgen -W " << BashWords(Choices(opt)) << " -- \"$cur\")";
      break;
    case Completion::kTrustFiles:
      out << files_fn << " \"$cur\" trust";
      break;
    case Completion::kFiles:
      out << files_fn << " \"$cur\" \"\"";
      break;
    case Completion::kNone:
      out << ":";
      break;
  }
}

// -------------------------------------------------------------------------------------------- zsh

std::string ZshQuote(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out;
}

std::string ZshBracket(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\' || c == ':') out += '\\';
    out += c;
  }
  return ZshQuote(out);
}

std::string ZshLabel(std::string label) {
  std::replace(label.begin(), label.end(), ':', ' ');
  return ZshQuote(label);
}

std::string ZshAction(Completion kind, const CLI::Option* opt) {
  switch (kind) {
    case Completion::kChoices:
      return "(" + ZshQuote(Join(Choices(opt), " ")) + ")";
    case Completion::kTrustFiles:
      return "_files -g \"*.trust(-.)\"";
    case Completion::kFiles:
      return "_files";
    case Completion::kNone:
      return " ";
  }
  return " ";
}

void ZshFunction(std::ostream& out, const CLI::App& command) {
  std::string fn = "_" + Identifier(PageName(command));
  std::vector<const CLI::App*> subs = Subcommands(command);
  out << fn << "() {\n";
  if (!subs.empty()) {
    out << "  local curcontext=\"$curcontext\" state state_descr line\n"
        << "  typeset -A opt_args\n"
        << "  _arguments -C -s \\\n";
  } else {
    out << "  _arguments -s \\\n";
  }
  for (const CLI::Option* opt : Flags(command)) {
    std::vector<std::string> names = Names(opt);
    bool help = opt == command.get_help_ptr() || opt == command.get_version_ptr();
    std::string prefix;
    if (help) {
      prefix = "'(- *)'";
    } else if (IsVector(opt) && TakesValue(opt)) {
      prefix = "'*'";
    } else if (names.size() > 1) {
      prefix = "'(" + Join(names, " ") + ")'";
    }
    std::string suffix = "[" + ZshBracket(opt->get_description()) + "]";
    if (TakesValue(opt)) {
      suffix += ":" + ZshLabel(ValueLabel(opt)) + ":" + ZshAction(ValueCompletion(opt), opt);
    }
    out << "    " << prefix;
    if (names.size() > 1) {
      out << "{" << Join(names, ",") << "}'" << suffix << "'";
    } else {
      out << "'" << names.front() << suffix << "'";
    }
    out << " \\\n";
  }
  if (!subs.empty()) {
    out << "    '1: :->command' \\\n    '*:: :->args' && return\n"
        << "  case $state in\n"
        << "    command)\n"
        << "      local -a commands=(\n";
    for (const CLI::App* sub : subs) {
      out << "        '" << ZshQuote(sub->get_name()) << ":" << ZshQuote(sub->get_description())
          << "'\n";
    }
    out << "      )\n"
        << "      _describe -t commands '" << ZshQuote(CommandLine(command))
        << " command' commands\n"
        << "      ;;\n"
        << "    args)\n"
        << "      case ${line[1]} in\n";
    for (const CLI::App* sub : subs) {
      out << "        " << sub->get_name() << ") _" << Identifier(PageName(*sub)) << " ;;\n";
    }
    out << "      esac\n"
        << "      ;;\n"
        << "  esac\n";
  } else {
    int index = 1;
    for (const CLI::Option* pos : Positionals(command)) {
      std::string where = IsVector(pos) ? "*" : std::to_string(index);
      out << "    '" << where << ":" << ZshLabel(pos->get_name(true)) << ":"
          << ZshAction(PositionalCompletion(pos), pos) << "' \\\n";
      index += std::max(1, pos->get_items_expected_max());
    }
    out << "    && return\n";
  }
  out << "}\n\n";
  for (const CLI::App* sub : subs) ZshFunction(out, *sub);
}

// ----------------------------------------------------------------------------------------- files

bool WriteFile(const fs::path& path, const std::string& text, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

bool MakeDir(const fs::path& dir, std::ostream& err) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    err << "cannot create " << dir.string() << ": " << ec.message() << "\n";
    return false;
  }
  return true;
}

int WriteManPages(const CLI::App& root, const ProgramDoc& doc, const fs::path& dir,
                  std::ostream& err) {
  if (!MakeDir(dir, err)) return 1;
  // Remove the pages of commands that no longer exist: "NAME.1" and "NAME-*.1" only.
  std::string name = root.get_name();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string file = entry.path().filename().string();
    if (file.ends_with(".1") && (file == name + ".1" || file.starts_with(name + "-"))) {
      fs::remove(entry.path(), ec);
    }
  }
  for (const CLI::App* command : AllCommands(root)) {
    if (!WriteFile(dir / (PageName(*command) + ".1"), ManPage(*command, doc), err)) return 1;
  }
  return 0;
}

}  // namespace

std::string PageName(const CLI::App& command) {
  std::vector<std::string> parts;
  for (const CLI::App* app = &command; app != nullptr; app = app->get_parent()) {
    parts.insert(parts.begin(), app->get_name());
  }
  return Join(parts, "-");
}

std::vector<const CLI::App*> AllCommands(const CLI::App& root) {
  std::vector<const CLI::App*> all{&root};
  for (const CLI::App* sub : Subcommands(root)) {
    std::vector<const CLI::App*> below = AllCommands(*sub);
    all.insert(all.end(), below.begin(), below.end());
  }
  return all;
}

std::string ManPage(const CLI::App& command, const ProgramDoc& doc) {
  const CLI::App& root = Root(command);
  std::string page = PageName(command);
  std::vector<const CLI::App*> subs = Subcommands(command);
  std::ostringstream out;
  out << ".\\\" Generated by `" << root.get_name() << " --help-man`; do not edit.\n"
      << ".TH \"" << RoffName(Upper(page)) << "\" \"1\" \"\" \"" << Roff(root.get_name()) << " "
      << Roff(doc.version) << "\" \"User Commands\"\n";

  // "trustc: a compiler" -> "a compiler": the page name is already there.
  std::string summary = command.get_description();
  if (summary.starts_with(command.get_name() + ": "))
    summary.erase(0, command.get_name().size() + 2);
  out << ".SH NAME\n" << RoffName(page) << " \\- " << Roff(summary) << "\n";

  out << ".SH SYNOPSIS\n.B " << RoffName(CommandLine(command)) << "\n[\\fIOPTIONS\\fR]";
  for (const CLI::Option* pos : Positionals(command)) {
    std::string item = "\\fI" + RoffName(pos->get_name(true)) + "\\fR";
    if (IsVector(pos)) item += "...";
    out << " " << (pos->get_required() ? item : "[" + item + "]");
  }
  if (!subs.empty()) out << " \\fICOMMAND\\fR [\\fIARGS\\fR]";
  out << "\n";

  out << ".SH DESCRIPTION\n" << Roff(command.get_description()) << "\n";
  if (&command == &root) Paragraphs(out, doc.description);
  std::string footer = command.get_footer();
  if (!footer.empty() && footer != "\n") Paragraphs(out, footer);

  if (!subs.empty()) {
    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : subs) {
      out << ".TP\n" << PageRef(PageName(*sub)) << "\n" << Roff(sub->get_description()) << "\n";
    }
  }

  std::vector<const CLI::Option*> positionals = Positionals(command);
  if (!positionals.empty()) {
    out << ".SH ARGUMENTS\n";
    for (const CLI::Option* pos : positionals) {
      out << ".TP\n.I " << RoffName(pos->get_name(true)) << "\n" << Roff(Describe(pos)) << "\n";
    }
  }

  out << ".SH OPTIONS\n";
  for (const CLI::Option* opt : Flags(command)) {
    std::vector<std::string> names;
    for (const std::string& name : Names(opt)) names.push_back("\\fB" + RoffName(name) + "\\fR");
    out << ".TP\n" << Join(names, ", ");
    if (TakesValue(opt)) out << " \\fI" << RoffName(ValueLabel(opt)) << "\\fR";
    out << "\n" << Roff(Describe(opt)) << "\n";
  }

  auto exit = doc.command_exit_status.find(command.get_name());
  const Entries& exit_status =
      &command != &root && exit != doc.command_exit_status.end() ? exit->second : doc.exit_status;
  if (!exit_status.empty()) {
    out << ".SH \"EXIT STATUS\"\n";
    EntryList(out, exit_status);
  }
  if (!doc.environment.empty()) {
    out << ".SH ENVIRONMENT\n";
    EntryList(out, doc.environment);
  }

  std::vector<std::string> see_also;
  if (&command != &root) see_also.push_back(PageName(*command.get_parent()));
  for (const CLI::App* sub : subs) see_also.push_back(PageName(*sub));
  see_also.insert(see_also.end(), doc.see_also.begin(), doc.see_also.end());
  if (!see_also.empty()) {
    out << ".SH \"SEE ALSO\"\n";
    std::vector<std::string> refs;
    for (const std::string& ref : see_also) refs.push_back(PageRef(ref));
    out << Join(refs, ",\n") << "\n";
  }
  return out.str();
}

std::string BashCompletion(const CLI::App& root) {
  std::string name = root.get_name();
  std::string fn = "_" + Identifier(name);
  std::string files_fn = fn + "_files";
  std::vector<const CLI::App*> all = AllCommands(root);
  std::ostringstream out;
  out << "# bash completion for " << name << ": generated by `" << name
      << " --completion bash`; do not edit.\n\n"
      << files_fn << "() {  # $1: the word; $2: an extension to keep, or empty for any file\n"
      << "  local IFS=$'\\n'\n"
      << "  if [[ -n $2 ]]; then\n"
      << "    COMPREPLY=($(compgen -d -- \"$1\") $(compgen -f -X \"!*.$2\" -- \"$1\"))\n"
      << "  else\n"
      << "    COMPREPLY=($(compgen -f -- \"$1\"))\n"
      << "  fi\n"
      << "  compopt -o filenames 2>/dev/null || true\n"
      << "}\n\n"
      << fn << "() {\n"
      << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" cmd=\"" << PageName(root)
      << "\" npos=0 skip=0 i w\n"
      << "  ((COMP_CWORD > 0)) && prev=\"${COMP_WORDS[COMP_CWORD - 1]}\"\n"
      << "  [[ $prev == \"=\" ]] && ((COMP_CWORD > 1)) && prev=\"${COMP_WORDS[COMP_CWORD - 2]}\"\n"
      << "  [[ $cur == \"=\" ]] && cur=\"\"\n"
      << "  COMPREPLY=()\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    w=\"${COMP_WORDS[i]}\"\n"
      << "    if ((skip)); then\n"
      << "      skip=0\n"
      << "      continue\n"
      << "    fi\n"
      << "    case \"$cmd $w\" in\n";
  for (const CLI::App* command : all) {
    for (const CLI::App* sub : Subcommands(*command)) {
      out << "      \"" << PageName(*command) << " " << sub->get_name() << "\") cmd=\""
          << PageName(*sub) << "\" npos=0 ;;\n";
    }
    std::vector<std::string> valued;
    for (const CLI::Option* opt : Flags(*command)) {
      if (!TakesValue(opt)) continue;
      for (const std::string& n : Names(opt))
        valued.push_back("\"" + PageName(*command) + " " + n + "\"");
    }
    if (!valued.empty()) out << "      " << Join(valued, " | ") << ") skip=1 ;;\n";
  }
  out << "      *\" =\") skip=1 ;;\n"
      << "      *\" -\"*) ;;\n"
      << "      *) ((npos++)) ;;\n"
      << "    esac\n"
      << "  done\n"
      << "  case \"$cmd\" in\n";
  for (const CLI::App* command : all) {
    out << "    \"" << PageName(*command) << "\")\n";
    std::vector<std::string> flag_words;
    bool any_valued = false;
    for (const CLI::Option* opt : Flags(*command)) {
      std::vector<std::string> names = Names(opt);
      flag_words.insert(flag_words.end(), names.begin(), names.end());
      any_valued = any_valued || TakesValue(opt);
    }
    if (any_valued) {
      out << "      case \"$prev\" in\n";
      for (const CLI::Option* opt : Flags(*command)) {
        if (!TakesValue(opt)) continue;
        out << "        " << Join(Names(opt), " | ") << ")\n          ";
        BashCompleteValue(out, ValueCompletion(opt), opt, files_fn);
        out << "\n          return\n          ;;\n";
      }
      out << "      esac\n";
    }
    out << "      if [[ $cur == -* ]]; then\n"
        << "        mapfile -t COMPREPLY < <(compgen -W " << BashWords(flag_words)
        << " -- \"$cur\")\n"
        << "        return\n"
        << "      fi\n";
    std::vector<const CLI::App*> subs = Subcommands(*command);
    if (!subs.empty()) {
      std::vector<std::string> names;
      for (const CLI::App* sub : subs) names.push_back(sub->get_name());
      out << "      mapfile -t COMPREPLY < <(compgen -W " << BashWords(names) << " -- \"$cur\")\n";
    } else {
      std::vector<const CLI::Option*> positionals = Positionals(*command);
      if (!positionals.empty()) {
        out << "      case $npos in\n";
        int index = 0;
        for (const CLI::Option* pos : positionals) {
          bool rest = IsVector(pos);
          int count = rest ? 1 : std::max(1, pos->get_items_expected_max());
          std::vector<std::string> slots;
          if (rest) {
            slots.push_back("*");
          } else {
            for (int k = 0; k < count; ++k) slots.push_back(std::to_string(index + k));
          }
          out << "        " << Join(slots, " | ") << ") ";
          BashCompleteValue(out, PositionalCompletion(pos), pos, files_fn);
          out << " ;;\n";
          index += count;
          if (rest) break;
        }
        out << "      esac\n";
      }
    }
    out << "      ;;\n";
  }
  out << "  esac\n"
      << "}\n\n"
      << "complete -F " << fn << " " << name << "\n";
  return out.str();
}

std::string ZshCompletion(const CLI::App& root) {
  std::ostringstream out;
  out << "#compdef " << root.get_name() << "\n"
      << "# zsh completion for " << root.get_name() << ": generated by `" << root.get_name()
      << " --completion zsh`; do not edit.\n\n";
  ZshFunction(out, root);
  out << "_" << Identifier(PageName(root)) << " \"$@\"\n";
  return out.str();
}

bool HandleDocRequest(const CLI::App& root, const ProgramDoc& doc, int argc,
                      const char* const* argv, std::ostream& out, std::ostream& err,
                      int* exit_code) {
  if (argc < 2) return false;
  std::string_view flag = argv[1];
  std::string name = root.get_name();
  if (flag == "--help-man") {
    const CLI::App* command = &root;
    for (int i = 2; i < argc; ++i) {
      const CLI::App* next = nullptr;
      for (const CLI::App* sub : Subcommands(*command)) {
        if (sub->get_name() == argv[i]) next = sub;
      }
      if (next == nullptr) {
        err << name << ": error: no such command: " << argv[i] << "\n";
        *exit_code = 2;
        return true;
      }
      command = next;
    }
    out << ManPage(*command, doc);
    *exit_code = 0;
    return true;
  }
  if (flag == "--completion") {
    std::string_view shell = argc == 3 ? argv[2] : "";
    if (shell == "bash") {
      out << BashCompletion(root);
    } else if (shell == "zsh") {
      out << ZshCompletion(root);
    } else {
      err << name << ": error: --completion takes bash or zsh\n";
      *exit_code = 2;
      return true;
    }
    *exit_code = 0;
    return true;
  }
  if (flag == "--write-man-pages" || flag == "--write-completions") {
    if (argc != 3) {
      err << name << ": error: " << flag << " takes a directory\n";
      *exit_code = 2;
      return true;
    }
    fs::path dir = argv[2];
    if (flag == "--write-man-pages") {
      *exit_code = WriteManPages(root, doc, dir, err);
      return true;
    }
    bool ok = MakeDir(dir, err) && WriteFile(dir / (name + ".bash"), BashCompletion(root), err) &&
              WriteFile(dir / ("_" + name), ZshCompletion(root), err);
    *exit_code = ok ? 0 : 1;
    return true;
  }
  return false;
}

}  // namespace trust::cli
