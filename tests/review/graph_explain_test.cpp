// trustc graph (DOT renders with Graphviz without warnings; mermaid and DOT goldens;
// deterministic), trustc explain (goldens for the example), explain-rule (an explanation for
// every diagnostic ID).
#include <set>

#include "compiler/review/explain.h"
#include "compiler/review/graph.h"
#include "tests/review/support.h"

namespace trust::review_test {
namespace {

fs::path ExampleDir() { return SourceDir() / "examples" / "ca-im-scim"; }

std::unique_ptr<driver::Compilation> Example() {
  auto compilation = CompileIn(ExampleDir(), "main.trust");
  EXPECT_TRUE(compilation->program.has_value());
  return compilation;
}

TEST(Graph, GoldensAndDeterminism) {
  auto example = Example();
  ASSERT_TRUE(example->program);
  std::string dot = review::GraphDot(*example->program);
  std::string mermaid = review::GraphMermaid(*example->program);
  ExpectGolden(ReviewDir() / "graph" / "ca-im-scim.dot", dot);
  ExpectGolden(ReviewDir() / "graph" / "ca-im-scim.mmd", mermaid);
  auto again = Example();
  EXPECT_EQ(review::GraphDot(*again->program), dot);
  EXPECT_EQ(review::GraphMermaid(*again->program), mermaid);
}

TEST(Graph, DotRendersWithoutWarnings) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) GTEST_SKIP() << "Graphviz is absent";
  TempDir temp;
  auto example = Example();
  ASSERT_TRUE(example->program);
  WriteText(temp.path() / "g.dot", review::GraphDot(*example->program));
  std::string command = "dot -Tsvg '" + (temp.path() / "g.dot").string() + "' -o '" +
                        (temp.path() / "g.svg").string() + "' 2>'" +
                        (temp.path() / "err").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(ReadText(temp.path() / "err"), "") << "dot printed warnings";
  EXPECT_NE(ReadText(temp.path() / "g.svg").find("<svg"), std::string::npos);
}

TEST(GraphCommand, Formats) {
  test::ProcessResult dot = Trustc("graph main.trust --now 2027-01-15T00:00:00Z", ExampleDir());
  EXPECT_EQ(dot.status, 0);
  EXPECT_TRUE(dot.out.starts_with("digraph trust {"));
  test::ProcessResult mermaid = Trustc("graph main.trust --format mermaid", ExampleDir());
  EXPECT_TRUE(mermaid.out.starts_with("flowchart LR"));
}

TEST(Explain, GoldensForTheExample) {
  auto example = Example();
  ASSERT_TRUE(example->program);
  for (const char* name : {"provisioning_ca", "gateway_ssl", "endpoint_ca", "eta_server",
                           "api_gateway.im_cs.eta_server"}) {
    SCOPED_TRACE(name);
    std::string error;
    auto text = review::Explain(*example->program, example->sources, name, &error);
    ASSERT_TRUE(text.has_value()) << error;
    ExpectGolden(ReviewDir() / "explain" / (std::string(name) + ".txt"), *text);
  }
  std::string error;
  EXPECT_FALSE(review::Explain(*example->program, example->sources, "nope", &error));
  EXPECT_NE(error.find("provisioning_ca"), std::string::npos);
}

TEST(ExplainCommand, ExitCodes) {
  EXPECT_EQ(Trustc("explain main.trust endpoint_ca", ExampleDir()).status, 0);
  EXPECT_EQ(Trustc("explain main.trust nope", ExampleDir()).status, 1);
  test::ProcessResult rule = Trustc("explain-rule revocation_off", ExampleDir());
  EXPECT_EQ(rule.status, 0);
  EXPECT_TRUE(rule.out.starts_with("revocation_off (note, lint rule)")) << rule.out;
  EXPECT_EQ(Trustc("explain-rule no_such_rule", ExampleDir()).status, 2);
}

// An unrelated wrong name does not hide the answer: explain and graph answer from what
// resolved, print the error beside it and still exit 1.
TEST(ExplainCommand, AnswersDespiteAnUnrelatedError) {
  fs::path dir = fs::temp_directory_path() / ("trust_explain_partial_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::copy(ExampleDir(), dir, fs::copy_options::recursive);
  std::string text = ReadText(dir / "main.trust");
  text.replace(text.find("trust endpoint_ca {"), 19, "trust endpoint_cb {");
  std::ofstream(dir / "main.trust") << text;
  test::ProcessResult explain =
      Trustc("explain main.trust provisioning_ca", dir, /*keep_stderr=*/true);
  EXPECT_EQ(explain.status, 1);
  EXPECT_NE(explain.out.find("unknown certificate `endpoint_cb`"), std::string::npos)
      << explain.out;
  EXPECT_NE(explain.out.find("gateway `api_gateway` as `Provisioning Services CA`"),
            std::string::npos)
      << explain.out;
  test::ProcessResult graph = Trustc("graph main.trust", dir, /*keep_stderr=*/true);
  EXPECT_EQ(graph.status, 1);
  EXPECT_NE(graph.out.find("digraph trust"), std::string::npos) << graph.out;
  EXPECT_NE(graph.out.find("endpoint_cb"), std::string::npos) << graph.out;
  fs::remove_all(dir);
}

TEST(ExplainRule, EveryDiagnosticIdHasAnExplanation) {
  for (diag::Kind kind : diag::AllKinds()) {
    EXPECT_GE(review::Explanation(kind).size(), 40u)
        << "no explanation for " << diag::Info(kind).id << " in compiler/diag/explanations.def";
  }
  std::set<std::string> explained;
#define TRUST_EXPLAIN(id, text) explained.insert(#id);
#include "compiler/diag/explanations.def"
  for (const std::string& id : explained) {
    EXPECT_TRUE(diag::KindFromId(id).has_value()) << id << " is explained but not registered";
  }
}

}  // namespace
}  // namespace trust::review_test
