#include "base/build_id.h"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <string_view>

#include "base/digest.h"

namespace trust::base {
namespace {

size_t Aligned4(size_t size) { return (size + 3) & ~size_t{3}; }

// The build ID among the notes of one PT_NOTE segment, or "".
std::string BuildIdIn(const char* notes, size_t size) {
  size_t at = 0;
  while (at + sizeof(ElfW(Nhdr)) <= size) {
    ElfW(Nhdr) header;
    std::memcpy(&header, notes + at, sizeof header);
    size_t name_at = at + sizeof header;
    size_t desc_at = name_at + Aligned4(header.n_namesz);
    size_t next = desc_at + Aligned4(header.n_descsz);
    if (next > size || next <= at) return "";
    if (header.n_type == NT_GNU_BUILD_ID && header.n_namesz == 4 &&
        std::memcmp(notes + name_at, "GNU", 4) == 0) {
      return Hex(std::string_view(notes + desc_at, header.n_descsz));
    }
    at = next;
  }
  return "";
}

// dl_iterate_phdr visits the main program first; only it is looked at.
int FromMainProgram(struct dl_phdr_info* info, size_t, void* data) {
  auto* id = static_cast<std::string*>(data);
  for (ElfW(Half) i = 0; i < info->dlpi_phnum && id->empty(); ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_NOTE) continue;
    *id = BuildIdIn(reinterpret_cast<const char*>(info->dlpi_addr + segment.p_vaddr),
                    segment.p_memsz);
  }
  return 1;
}

}  // namespace

std::string ExecutableBuildId() {
  static const std::string id = [] {
    std::string found;
    dl_iterate_phdr(FromMainProgram, &found);
    return found;
  }();
  return id;
}

}  // namespace trust::base
