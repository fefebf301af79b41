//===- MixedPrecisionReportTest.cpp - Pareto JSON and SVG writers ---------===//
//
// Unit tests of passes/Analysis/MixedPrecisionReport: the JSON parses and
// holds every point with its per-layer choices; the SVG is well-formed XML
// (every tag closed in order), has both axis labels, one dot per frontier
// point, one square per uniform configuration and the highlighted chosen
// point inside the plot; both are byte-identical across writes, and text is
// escaped.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MixedPrecisionReport.h"

#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

#include <regex>

using namespace mlir;
using namespace mlir::qc;

namespace {

ParetoReport makeReport() {
  ParetoReport report;
  report.costKind = "size";
  report.costUnit = "bytes";
  report.lossLabel = "predicted loss (weight sensitivity)";
  report.budget = 2600;
  report.layers = {"/conv1/Conv", "/conv2/Conv", "/fc<3>/Gemm"};
  report.frontier = {{"", 1200, 0.9, {"int8", "binary", "int8"}},
                     {"", 1800, 0.4, {"int8", "int4", "int8"}},
                     {"", 2500, 0.1, {"int8", "int8", "int8"}}};
  report.uniform = {{"int8", 2500, 0.1, {"int8", "int8", "int8"}},
                    {"binary & co", 1200, 0.9, {"int8", "binary", "int8"}}};
  report.chosen = ParetoReportPoint{"", 2500, 0.1, {"int8", "int8", "int8"}};
  return report;
}

std::string toJson(const ParetoReport &report) {
  std::string text;
  llvm::raw_string_ostream os(text);
  writeParetoJson(report, os);
  return text;
}

std::string toSvg(const ParetoReport &report) {
  std::string text;
  llvm::raw_string_ostream os(text);
  writeParetoSvg(report, os);
  return text;
}

/// Whether `text` is well-formed as far as tags go: every element closed,
/// in order, one root; and the names of the elements seen.
bool checkTags(const std::string &text, std::vector<std::string> &names) {
  std::vector<std::string> stack;
  size_t roots = 0;
  for (size_t at = text.find('<'); at != std::string::npos;
       at = text.find('<', at + 1)) {
    size_t end = text.find('>', at);
    if (end == std::string::npos)
      return false;
    std::string tag = text.substr(at + 1, end - at - 1);
    if (tag.empty())
      return false;
    if (tag[0] == '/') {
      if (stack.empty() || stack.back() != tag.substr(1))
        return false;
      stack.pop_back();
      continue;
    }
    std::string name = tag.substr(0, tag.find_first_of(" /"));
    names.push_back(name);
    if (stack.empty())
      ++roots;
    if (tag.back() != '/')
      stack.push_back(name);
  }
  return stack.empty() && roots == 1;
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST(MixedPrecisionReport, JsonHoldsEveryPoint) {
  ParetoReport report = makeReport();
  std::string text = toJson(report);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object *root = parsed->getAsObject();
  ASSERT_TRUE(root);
  EXPECT_EQ(root->getString("cost_kind"), "size");
  EXPECT_EQ(root->getString("cost_unit"), "bytes");
  EXPECT_EQ(root->getNumber("budget"), 2600);
  ASSERT_TRUE(root->getArray("layers"));
  EXPECT_EQ(root->getArray("layers")->size(), 3u);
  const llvm::json::Array *frontier = root->getArray("frontier");
  ASSERT_TRUE(frontier);
  ASSERT_EQ(frontier->size(), 3u);
  for (auto [point, expected] : llvm::zip(*frontier, report.frontier)) {
    const llvm::json::Object *object = point.getAsObject();
    ASSERT_TRUE(object);
    EXPECT_EQ(object->getNumber("cost"), expected.cost);
    EXPECT_EQ(object->getNumber("loss"), expected.loss);
    const llvm::json::Object *choices = object->getObject("choices");
    ASSERT_TRUE(choices);
    for (auto [layer, choice] : llvm::zip(report.layers, expected.choices))
      EXPECT_EQ(choices->getString(layer), choice);
  }
  ASSERT_TRUE(root->getArray("uniform"));
  EXPECT_EQ(root->getArray("uniform")->size(), 2u);
  EXPECT_EQ((*root->getArray("uniform"))[1].getAsObject()->getString("label"),
            "binary & co");
  ASSERT_TRUE(root->getObject("chosen"));
  EXPECT_EQ(root->getObject("chosen")->getNumber("cost"), 2500);
  EXPECT_EQ(text, toJson(report));
}

TEST(MixedPrecisionReport, JsonWithoutChosenOrBudget) {
  ParetoReport report = makeReport();
  report.chosen.reset();
  report.budget.reset();
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(toJson(report));
  ASSERT_TRUE(bool(parsed));
  EXPECT_FALSE(parsed->getAsObject()->get("chosen"));
  EXPECT_FALSE(parsed->getAsObject()->get("budget"));
}

TEST(MixedPrecisionReport, SvgStructure) {
  ParetoReport report = makeReport();
  std::string svg = toSvg(report);
  std::vector<std::string> names;
  ASSERT_TRUE(checkTags(svg, names)) << svg;
  EXPECT_EQ(names.front(), "svg");
  EXPECT_NE(svg.find(">size (bytes)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">predicted loss (weight sensitivity)</text>"),
            std::string::npos);
  // Escaped text, never raw.
  EXPECT_NE(svg.find("binary &amp; co"), std::string::npos);
  EXPECT_EQ(svg.find("binary & co"), std::string::npos);
  // Groups: one dot per frontier point, one square per uniform point, the
  // chosen point highlighted, the budget line.
  auto group = [&](const std::string &cls) {
    size_t begin = svg.find("<g class=\"" + cls + "\"");
    EXPECT_NE(begin, std::string::npos) << cls;
    return svg.substr(begin, svg.find("</g>", begin) - begin);
  };
  EXPECT_EQ(count(group("frontier"), "<circle"), 3u);
  EXPECT_EQ(count(group("uniform"), "<rect"), 2u);
  EXPECT_EQ(count(group("chosen"), "<circle"), 1u);
  EXPECT_EQ(count(svg, "class=\"budget\""), 1u);
  // Every coordinate lies inside the 720 x 480 canvas.
  std::regex coordinate("(?:cx|cy|x|y|x1|x2|y1|y2)=\"(-?[0-9.]+)\"");
  for (std::sregex_iterator it(svg.begin(), svg.end(), coordinate), end;
       it != end; ++it) {
    double v = std::stod((*it)[1]);
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 720);
  }
  EXPECT_EQ(svg, toSvg(report));
}

TEST(MixedPrecisionReport, SvgOfOnePointAndOfNothing) {
  ParetoReport report = makeReport();
  report.frontier.resize(1);
  report.uniform.clear();
  report.chosen = report.frontier[0];
  report.budget.reset();
  std::vector<std::string> names;
  std::string svg = toSvg(report);
  EXPECT_TRUE(checkTags(svg, names)) << svg;
  EXPECT_EQ(svg.find("nan"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("inf"), std::string::npos) << svg;
  report.frontier.clear();
  report.chosen.reset();
  names.clear();
  svg = toSvg(report);
  EXPECT_TRUE(checkTags(svg, names)) << svg;
  EXPECT_EQ(svg.find("nan"), std::string::npos) << svg;
}

} // namespace
