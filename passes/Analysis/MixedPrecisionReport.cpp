//===- MixedPrecisionReport.cpp - Pareto frontier as JSON and SVG ---------===//
//
// Implements MixedPrecisionReport.h. The JSON goes through llvm::json's
// streaming writer (keys in the order written). The SVG is written by hand
// with fixed-precision coordinates: linear axes over the range of every
// point, "nice" ticks (1, 2 or 5 times a power of ten) and labels in %g, so
// that output depends only on the values.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MixedPrecisionReport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qc;

/// JSON numbers must be finite; anything else is written as null.
static llvm::json::Value toJsonNumber(double value) {
  if (!std::isfinite(value))
    return nullptr;
  return value;
}

static void writePoint(llvm::json::OStream &json, const ParetoReport &report,
                       const ParetoReportPoint &point) {
  json.object([&] {
    json.attribute("label", point.label);
    json.attribute("cost", toJsonNumber(point.cost));
    json.attribute("loss", toJsonNumber(point.loss));
    json.attributeObject("choices", [&] {
      for (auto [layer, choice] : llvm::zip(report.layers, point.choices))
        json.attribute(layer, choice);
    });
  });
}

void mlir::qc::writeParetoJson(const ParetoReport &report,
                               llvm::raw_ostream &os) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("cost_kind", report.costKind);
    json.attribute("cost_unit", report.costUnit);
    json.attribute("loss", report.lossLabel);
    if (report.budget)
      json.attribute("budget", toJsonNumber(*report.budget));
    json.attributeArray("layers", [&] {
      for (const std::string &layer : report.layers)
        json.value(layer);
    });
    json.attributeArray("frontier", [&] {
      for (const ParetoReportPoint &point : report.frontier)
        writePoint(json, report, point);
    });
    json.attributeArray("uniform", [&] {
      for (const ParetoReportPoint &point : report.uniform)
        writePoint(json, report, point);
    });
    if (report.chosen) {
      json.attributeBegin("chosen");
      writePoint(json, report, *report.chosen);
      json.attributeEnd();
    }
  });
  os << "\n";
}

namespace {

/// A linear axis from `lo` to `hi` mapped onto [from, to] pixels, with
/// ticks at multiples of `step`.
struct Axis {
  double lo, hi, step, from, to;

  double map(double v) const {
    return from + (v - lo) / (hi - lo) * (to - from);
  }
  /// The tick values, lo to hi.
  SmallVector<double> getTicks() const {
    SmallVector<double> ticks;
    long n = std::lround((hi - lo) / step);
    for (long i = 0; i <= n; ++i)
      ticks.push_back(lo + i * step);
    return ticks;
  }
};

} // namespace

/// An axis over [lo, hi] with about five ticks at 1, 2 or 5 x 10^k,
/// widened to whole steps; a single value gets a unit-wide range.
static Axis makeAxis(double lo, double hi, double from, double to) {
  if (!(hi > lo)) {
    double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  double raw = (hi - lo) / 5;
  double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {2.0, 5.0, 10.0})
    if (step < raw)
      step = m * magnitude;
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step, step, from,
          to};
}

/// Text for an SVG text node or attribute.
static std::string escapeXml(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

/// A tick label: %g, with -0 written as 0.
static std::string formatTick(double value, double step) {
  if (std::fabs(value) < step * 1e-6)
    value = 0;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%g", value);
  return text;
}

void mlir::qc::writeParetoSvg(const ParetoReport &report,
                              llvm::raw_ostream &os) {
  const double width = 720, height = 480, left = 90, right = 160, top = 50,
               bottom = 70;
  // Every finite point sets the ranges.
  double xLo = INFINITY, xHi = -INFINITY, yLo = INFINITY, yHi = -INFINITY;
  auto extend = [&](const ParetoReportPoint &p) {
    if (!std::isfinite(p.cost) || !std::isfinite(p.loss))
      return;
    xLo = std::min(xLo, p.cost);
    xHi = std::max(xHi, p.cost);
    yLo = std::min(yLo, p.loss);
    yHi = std::max(yHi, p.loss);
  };
  for (const ParetoReportPoint &p : report.frontier)
    extend(p);
  for (const ParetoReportPoint &p : report.uniform)
    extend(p);
  if (report.chosen)
    extend(*report.chosen);
  // The budget line is drawn when there are points to compare it with.
  bool drawBudget =
      report.budget && std::isfinite(*report.budget) && xLo <= xHi;
  if (drawBudget) {
    xLo = std::min(xLo, *report.budget);
    xHi = std::max(xHi, *report.budget);
  }
  if (xLo > xHi) {
    xLo = xHi = 0;
    yLo = yHi = 0;
  }
  Axis x = makeAxis(xLo, xHi, left, width - right);
  Axis y = makeAxis(yLo, yHi, height - bottom, top);
  auto num = [](double v) { return llvm::format("%.2f", v); };
  auto finite = [](const ParetoReportPoint &p) {
    return std::isfinite(p.cost) && std::isfinite(p.loss);
  };

  std::string xLabel =
      report.costKind +
      (report.costUnit.empty() ? std::string() : " (" + report.costUnit + ")");
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width)
     << "\" height=\"" << num(height) << "\" viewBox=\"0 0 " << num(width)
     << " " << num(height)
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  os << "<title>Mixed precision: " << escapeXml(xLabel) << " against "
     << escapeXml(report.lossLabel) << "</title>\n";
  os << "<rect x=\"0\" y=\"0\" width=\"" << num(width) << "\" height=\""
     << num(height) << "\" fill=\"white\"/>\n";
  os << "<text x=\"" << num(width / 2) << "\" y=\"24\" text-anchor=\"middle\" "
     << "font-size=\"15\">Pareto frontier: " << escapeXml(xLabel) << " vs "
     << escapeXml(report.lossLabel) << "</text>\n";

  // Grid, ticks and tick labels.
  os << "<g class=\"axes\" stroke=\"#ccc\">\n";
  for (double v : x.getTicks())
    os << "<line x1=\"" << num(x.map(v)) << "\" y1=\"" << num(y.from)
       << "\" x2=\"" << num(x.map(v)) << "\" y2=\"" << num(y.to) << "\"/>\n";
  for (double v : y.getTicks())
    os << "<line x1=\"" << num(x.from) << "\" y1=\"" << num(y.map(v))
       << "\" x2=\"" << num(x.to) << "\" y2=\"" << num(y.map(v)) << "\"/>\n";
  os << "</g>\n";
  os << "<g class=\"ticks\" fill=\"#333\">\n";
  for (double v : x.getTicks())
    os << "<text x=\"" << num(x.map(v)) << "\" y=\"" << num(y.from + 18)
       << "\" text-anchor=\"middle\">" << formatTick(v, x.step) << "</text>\n";
  for (double v : y.getTicks())
    os << "<text x=\"" << num(x.from - 8) << "\" y=\"" << num(y.map(v) + 4)
       << "\" text-anchor=\"end\">" << formatTick(v, y.step) << "</text>\n";
  os << "</g>\n";
  os << "<line x1=\"" << num(x.from) << "\" y1=\"" << num(y.from) << "\" x2=\""
     << num(x.to) << "\" y2=\"" << num(y.from) << "\" stroke=\"black\"/>\n";
  os << "<line x1=\"" << num(x.from) << "\" y1=\"" << num(y.from) << "\" x2=\""
     << num(x.from) << "\" y2=\"" << num(y.to) << "\" stroke=\"black\"/>\n";
  os << "<text class=\"x-label\" x=\"" << num((x.from + x.to) / 2) << "\" y=\""
     << num(height - 20) << "\" text-anchor=\"middle\">" << escapeXml(xLabel)
     << "</text>\n";
  os << "<text class=\"y-label\" x=\"20\" y=\"" << num((y.from + y.to) / 2)
     << "\" text-anchor=\"middle\" transform=\"rotate(-90 20 "
     << num((y.from + y.to) / 2) << ")\">" << escapeXml(report.lossLabel)
     << "</text>\n";

  if (drawBudget)
    os << "<line class=\"budget\" x1=\"" << num(x.map(*report.budget))
       << "\" y1=\"" << num(y.from) << "\" x2=\"" << num(x.map(*report.budget))
       << "\" y2=\"" << num(y.to)
       << "\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>\n";

  // The frontier: a line through its points, and a dot on each.
  os << "<g class=\"frontier\" fill=\"#1f77b4\">\n";
  std::string path;
  for (const ParetoReportPoint &p : report.frontier) {
    if (!finite(p))
      continue;
    llvm::raw_string_ostream line(path);
    line << (path.empty() ? "M" : " L") << num(x.map(p.cost)) << " "
         << num(y.map(p.loss));
  }
  if (!path.empty())
    os << "<path d=\"" << path
       << "\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>\n";
  for (const ParetoReportPoint &p : report.frontier)
    if (finite(p))
      os << "<circle cx=\"" << num(x.map(p.cost)) << "\" cy=\""
         << num(y.map(p.loss)) << "\" r=\"3\"/>\n";
  os << "</g>\n";

  // Uniform configurations: labelled squares.
  os << "<g class=\"uniform\" fill=\"#ff7f0e\">\n";
  for (const ParetoReportPoint &p : report.uniform) {
    if (!finite(p))
      continue;
    double cx = x.map(p.cost), cy = y.map(p.loss);
    os << "<rect x=\"" << num(cx - 4) << "\" y=\"" << num(cy - 4)
       << "\" width=\"8\" height=\"8\"/>\n";
    os << "<text x=\"" << num(cx + 7) << "\" y=\"" << num(cy - 6)
       << "\" fill=\"#a04000\">" << escapeXml(p.label) << "</text>\n";
  }
  os << "</g>\n";

  if (report.chosen && finite(*report.chosen)) {
    double cx = x.map(report.chosen->cost), cy = y.map(report.chosen->loss);
    os << "<g class=\"chosen\">\n<circle cx=\"" << num(cx) << "\" cy=\""
       << num(cy) << "\" r=\"7\" fill=\"none\" stroke=\"#d62728\" "
       << "stroke-width=\"2.5\"/>\n<text x=\"" << num(cx + 10) << "\" y=\""
       << num(cy + 16) << "\" fill=\"#d62728\">"
       << escapeXml(report.chosen->label.empty() ? "chosen"
                                                 : report.chosen->label)
       << "</text>\n</g>\n";
  }

  // Legend, right of the plot.
  double lx = width - right + 16;
  os << "<g class=\"legend\">\n";
  os << "<circle cx=\"" << num(lx) << "\" cy=\"" << num(top + 10)
     << "\" r=\"3\" fill=\"#1f77b4\"/><text x=\"" << num(lx + 10) << "\" y=\""
     << num(top + 14) << "\">mixed (frontier)</text>\n";
  os << "<rect x=\"" << num(lx - 4) << "\" y=\"" << num(top + 26)
     << "\" width=\"8\" height=\"8\" fill=\"#ff7f0e\"/><text x=\""
     << num(lx + 10) << "\" y=\"" << num(top + 34) << "\">uniform</text>\n";
  os << "<circle cx=\"" << num(lx) << "\" cy=\"" << num(top + 50)
     << "\" r=\"6\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2.5\"/>"
     << "<text x=\"" << num(lx + 10) << "\" y=\"" << num(top + 54)
     << "\">chosen</text>\n";
  os << "</g>\n</svg>\n";
}
