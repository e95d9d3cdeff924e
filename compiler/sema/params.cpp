// Params and `${...}` interpolation. A param's value is kept as parts (text and env
// placeholders) so that `${env:X}` carried through a param is still checked where it lands.
#include <algorithm>
#include <cstdio>

#include "compiler/sema/context.h"

namespace trust::sema {

using ast::StrPart;

void Context::EvaluateParams() {
  for (const auto& [name, value] : options.defines) {
    bool declared = false;
    for (size_t m = 0; m < program.modules.size(); ++m) {
      for (const ast::Param& param : module(m).ast.params) {
        if (param.name.name != name) continue;
        defines_[{m, name}] = value;
        declared = true;
      }
    }
    if (!declared) {
      emitter.Emit(diag::Kind::unknown_define, {},
                   "-D " + name + ": no module declares a param " + diag::Quote(name));
    }
  }
  for (size_t m = 0; m < program.modules.size(); ++m) {
    for (size_t p = 0; p < module(m).ast.params.size(); ++p) {
      ParamValue(m, p, module(m).ast.params[p].name.range);
    }
  }
}

std::optional<std::vector<StrPart>> Context::ParamValue(size_t m, size_t p,
                                                        source::SourceRange use) {
  ParamState& state = params_[{m, p}];
  const ast::Param& param = module(m).ast.params[p];
  if (state.state == ParamState::kDone) return state.value;
  if (state.state == ParamState::kVisiting) {
    emitter.Emit(diag::Kind::param_cycle, use,
                 "param " + diag::Quote(param.name.name) + " depends on itself",
                 {{param.name.range, "declared here"}});
    return std::nullopt;
  }
  state.state = ParamState::kVisiting;
  std::optional<std::vector<StrPart>> value;
  if (auto it = defines_.find({m, param.name.name}); it != defines_.end()) {
    value = std::vector<StrPart>{{StrPart::Kind::kText, it->second, param.value.range}};
  } else {
    value = Expand(param.value, m);
  }
  ParamState& done = params_[{m, p}];  // the map may have grown
  done.state = ParamState::kDone;
  done.value = value;
  return value;
}

std::optional<std::vector<StrPart>> Context::Expand(const ast::Str& str, size_t m) {
  std::vector<StrPart> parts;
  bool ok = true;
  for (const StrPart& part : str.parts) {
    if (part.kind != StrPart::Kind::kParam) {
      parts.push_back(part);
      continue;
    }
    size_t target = m;
    std::string name = part.text;
    if (size_t dot = name.find('.'); dot != std::string::npos) {
      auto it = module(m).imports.find(name.substr(0, dot));
      if (it == module(m).imports.end()) {
        emitter.Emit(diag::Kind::unknown_module, part.range,
                     "no import is named " + diag::Quote(name.substr(0, dot)));
        ok = false;
        continue;
      }
      target = it->second;
      name = name.substr(dot + 1);
    }
    const auto& params = module(target).ast.params;
    auto found = std::find_if(params.begin(), params.end(),
                              [&](const ast::Param& p) { return p.name.name == name; });
    if (found == params.end()) {
      emitter.Emit(diag::Kind::unknown_param, part.range,
                   "unknown param " + diag::Quote(part.text) + " in `${...}`");
      ok = false;
      continue;
    }
    auto value = ParamValue(target, static_cast<size_t>(found - params.begin()), part.range);
    if (!value) {
      ok = false;
      continue;
    }
    parts.insert(parts.end(), value->begin(), value->end());
  }
  if (!ok) return std::nullopt;
  return parts;
}

// Every string the compiler lowers passes through Interpolate, so this is the one check that
// keeps control characters out of the artifacts: XML cannot carry most of them, a NUL cuts a
// login or DN short where C code reads it, and ESC sequences repaint a reviewer's terminal.
bool Context::RefuseControlCharacters(const StrPart& part, Controls controls,
                                      source::SourceRange where, bool here) {
  auto found = std::find_if(part.text.begin(), part.text.end(), [&](char c) {
    return diag::IsControl(c) && !(c == '\t' && controls == Controls::kTabAllowed);
  });
  if (found == part.text.end()) return true;
  char code[8];
  std::snprintf(code, sizeof code, "U+%04X",
                static_cast<unsigned>(static_cast<unsigned char>(*found)));
  std::vector<diag::Note> notes;
  if (!here) notes.push_back({part.range, "the character comes from this param"});
  emitter.Emit(diag::Kind::control_character, where,
               std::string("string holds the control character ") + code +
                   "; names, DNs, paths and other lowered strings may not contain U+0000-U+001F "
                   "or U+007F",
               std::move(notes));
  return false;
}

std::optional<std::string> Context::Interpolate(const ast::Str& str, size_t m, EnvPolicy env,
                                                Controls controls) {
  auto parts = Expand(str, m);
  if (!parts) return std::nullopt;
  std::string text;
  bool ok = true;
  for (const StrPart& part : *parts) {
    bool here = part.range.file == str.range.file && part.range.begin >= str.range.begin &&
                part.range.end <= str.range.end;
    if (part.kind == StrPart::Kind::kText) {
      text += part.text;
      ok = RefuseControlCharacters(part, controls, here ? part.range : str.range, here) && ok;
      continue;
    }
    text += "${env:" + part.text + "}";
    if (env == EnvPolicy::kAllowed) continue;
    ok = false;
    std::vector<diag::Note> notes;
    if (!here) notes.push_back({part.range, "the placeholder comes from this param"});
    emitter.Emit(diag::Kind::env_not_allowed, here ? part.range : str.range,
                 "`${env:" + part.text +
                     "}` is expanded at deploy time and is allowed only in a keystore `path`, a "
                     "`password file` path and a `require_endpoint` address",
                 std::move(notes));
  }
  if (!ok) return std::nullopt;
  return text;
}

}  // namespace trust::sema
