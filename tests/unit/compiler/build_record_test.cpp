// driver::ParseBuildRecord: a record is read whole or not at all. Anything but the format's
// exact shape (a field missing, repeated, unknown or of another type, an entry of another length,
// a cut text) reads as no record, which means a full build, never a kept directory.
#include "compiler/driver/build_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trust::driver {
namespace {

const std::string kSha(64, 'a');

// A well-formed record whose parts the tests below replace one at a time.
std::string Record(const std::string& head = R"("format":2,"key":"k","dates":[-5,7],"root":"r",)",
                   const std::string& notes = R"("notes":3,)",
                   const std::string& modules = R"([["m.trust","m.trust",")" + kSha + R"("]])",
                   const std::string& certificates = R"([["c/x.der","c/y.der",")" + kSha +
                                                     R"(",692]])") {
  return "{" + head + notes + "\n\"modules\":" + modules + ",\n\"certificates\":" + certificates +
         "}\n";
}

TEST(BuildRecord, AWellFormedRecordIsReadFieldByField) {
  std::optional<BuildRecord> record = ParseBuildRecord(Record());
  ASSERT_TRUE(record);
  EXPECT_EQ(record->key, "k");
  EXPECT_EQ(record->dates_from, -5);
  EXPECT_EQ(record->dates_until, 7);
  EXPECT_EQ(record->root, "r");
  EXPECT_EQ(record->notes, 3u);
  ASSERT_EQ(record->modules.size(), 1u);
  EXPECT_EQ(record->modules[0].named, "m.trust");
  EXPECT_EQ(record->modules[0].sha256, kSha);
  EXPECT_FALSE(record->modules[0].size);
  ASSERT_EQ(record->certificates.size(), 1u);
  EXPECT_EQ(record->certificates[0].named, "c/x.der");
  EXPECT_EQ(record->certificates[0].real, "c/y.der");
  EXPECT_EQ(record->certificates[0].size, 692u);
  // Empty lists and fields in another order are the same format.
  EXPECT_TRUE(ParseBuildRecord(
      R"({"certificates":[],"modules":[],"notes":0,"root":"r","dates":[1,2],"key":"k","format":2})"));
}

TEST(BuildRecord, AnythingButTheFormatsExactShapeIsNoRecord) {
  const std::string entry = R"(["c/x.der","c/y.der",")" + kSha + R"(",692])";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"another format", Record(R"("format":1,"key":"k","dates":[-5,7],"root":"r",)")},
      {"no format", Record(R"("key":"k","dates":[-5,7],"root":"r",)")},
      {"a repeated field", Record(R"("format":2,"key":"k","key":"k","dates":[-5,7],"root":"r",)")},
      {"an unknown field", Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r","x":1,)")},
      {"one date", Record(R"("format":2,"key":"k","dates":[-5],"root":"r",)")},
      {"three dates", Record(R"("format":2,"key":"k","dates":[1,2,3],"root":"r",)")},
      {"a date as text", Record(R"("format":2,"key":"k","dates":["1",2],"root":"r",)")},
      {"a key as a number", Record(R"("format":2,"key":1,"dates":[-5,7],"root":"r",)")},
      {"negative notes",
       Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)", R"("notes":-3,)")},
      {"no notes", Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)", "")},
      {"a module with a size", Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)",
                                      R"("notes":3,)", "[" + entry + "]")},
      {"a certificate without its size",
       Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)", R"("notes":3,)",
              R"([["m.trust","m.trust",")" + kSha + R"("]])",
              R"([["c/x.der","c/y.der",")" + kSha + R"("]])")},
      {"a negative size", Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)",
                                 R"("notes":3,)", R"([["m.trust","m.trust",")" + kSha + R"("]])",
                                 R"([["c/x.der","c/y.der",")" + kSha + R"(",-1]])")},
      {"an entry that is no list", Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)",
                                          R"("notes":3,)", R"(["m.trust"])")},
      {"a list that is an object",
       Record(R"("format":2,"key":"k","dates":[-5,7],"root":"r",)", R"("notes":3,)", "{}")},
      {"null", "null"},
      {"two records", Record() + Record()},
      {"nothing", ""},
  };
  for (const auto& [what, text] : bad) {
    EXPECT_FALSE(ParseBuildRecord(text)) << what;
  }
  const std::string good = Record();
  for (size_t cut = 0; cut + 2 < good.size(); ++cut) {
    EXPECT_FALSE(ParseBuildRecord(good.substr(0, cut))) << "cut at " << cut;
  }
}

}  // namespace
}  // namespace trust::driver
