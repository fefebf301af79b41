//===- QuantSchemes.cpp - The quantization schemes qc knows ---------------===//
//
// The scheme table and what is built from it: spec parsing for --quant,
// --act and --quant-config, the checks of qc-quantize's scheme and bits
// options, and the lists and help that name the schemes.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/Utils/QuantSchemes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::qc;

/// Who can take a scheme.
static constexpr unsigned kWeights = 1, kActivations = 2;

/// A row whose spec has no <k>: its one width `bits`, which qc-quantize's
/// weight-bits must equal when `checksBits`.
static constexpr QuantSchemeInfo
fixed(QuantScheme scheme, llvm::StringLiteral spelling, unsigned bits,
      unsigned targets, bool checksBits, llvm::StringLiteral help) {
  return {scheme,
          spelling,
          spelling,
          BitsSpelling::Fixed,
          bits,
          bits,
          bits,
          (targets & kWeights) != 0,
          (targets & kActivations) != 0,
          /*listed=*/true,
          checksBits,
          help};
}

/// A row spelled with <k>, whose option name may differ from its spelling.
static constexpr QuantSchemeInfo
withK(QuantScheme scheme, llvm::StringLiteral spelling,
      llvm::StringLiteral optionName, BitsSpelling k, unsigned minBits,
      unsigned maxBits, unsigned targets, llvm::StringLiteral help) {
  return {scheme,
          spelling,
          optionName,
          k,
          /*fixedBits=*/0,
          minBits,
          maxBits,
          (targets & kWeights) != 0,
          (targets & kActivations) != 0,
          /*listed=*/true,
          /*checksFixedBits=*/false,
          help};
}

/// The table. DoReFa's k-bit levels take k + 1 bits of signed codes, at
/// most 8, hence k <= 7; codebook<k> counts centroids, stored as log2(k)-bit
/// indices. `auto` stands for 8 bits, the widest grid it recognizes.
static constexpr QuantSchemeInfo kSchemes[] = {
    fixed(QuantScheme::None, "none", 32, kWeights | kActivations,
          /*checksBits=*/false, "float, as the model gives it"),
    fixed(QuantScheme::Auto, "auto", 8, kWeights, /*checksBits=*/false,
          "weights that training left on a grid, kept exactly"),
    withK(QuantScheme::Int, "int", "uniform", BitsSpelling::Bits, 2, 8,
          kWeights | kActivations, "uniform, symmetric for weights"),
    withK(QuantScheme::UInt, "uint", "asymmetric", BitsSpelling::Bits, 2, 8,
          kWeights, "asymmetric uniform with zero points"),
    fixed(QuantScheme::Binary, "binary", 1, kWeights | kActivations,
          /*checksBits=*/true, "sign times mean |x|, XNOR-Net"),
    fixed(QuantScheme::Ternary, "ternary", 2, kWeights, /*checksBits=*/true,
          "-a, 0 or +a, TWN"),
    withK(QuantScheme::PowerOfTwo, "pot", "pot", BitsSpelling::Bits, 2, 8,
          kWeights, "powers of two and zero, INQ"),
    withK(QuantScheme::DoReFa, "dorefa", "dorefa", BitsSpelling::Bits, 1, 7,
          kWeights, "DoReFa-Net levels"),
    withK(QuantScheme::Codebook, "codebook", "codebook", BitsSpelling::Levels,
          1, 8, kWeights, "k-means centroids"),
    withK(QuantScheme::Threshold, "threshold", "threshold", BitsSpelling::Bits,
          2, 8, kActivations, "uniform levels by FINN-style thresholds"),
    // Activations also take "float" for none; lists do not show it, and it
    // is no option name.
    {QuantScheme::None, "float", "", BitsSpelling::Fixed, 32, 32, 32,
     /*weights=*/false, /*activations=*/true, /*listed=*/false,
     /*checksFixedBits=*/false, "float, as the model gives it"},
};

ArrayRef<QuantSchemeInfo> mlir::qc::getQuantSchemeTable() { return kSchemes; }

const QuantSchemeInfo &mlir::qc::getQuantSchemeInfo(QuantScheme scheme) {
  for (const QuantSchemeInfo &info : kSchemes)
    if (info.scheme == scheme && info.listed)
      return info;
  llvm_unreachable("every scheme has a listed row");
}

bool mlir::qc::isUsableFor(const QuantSchemeInfo &info, QuantTarget target) {
  return target == QuantTarget::Weights ? info.weights : info.activations;
}

StringRef mlir::qc::getSchemeOptionName(QuantScheme scheme) {
  return getQuantSchemeInfo(scheme).optionName;
}

/// The spec as lists write it: "int<k>", "binary".
static std::string getSpecName(const QuantSchemeInfo &info) {
  std::string name = info.spelling.str();
  if (info.bits != BitsSpelling::Fixed)
    name += "<k>";
  return name;
}

/// The values <k> can take: "k in 2..8", "k = 2, 4, ..., 256".
static std::string getRangeText(const QuantSchemeInfo &info) {
  if (info.bits == BitsSpelling::Bits)
    return "k in " + std::to_string(info.minBits) + ".." +
           std::to_string(info.maxBits);
  auto level = [](unsigned bits) { return std::to_string(1ull << bits); };
  std::string text = "k = " + level(info.minBits);
  if (info.maxBits > info.minBits + 1)
    text += ", " + level(info.minBits + 1) + ", ...";
  if (info.maxBits > info.minBits)
    text += ", " + level(info.maxBits);
  return text;
}

std::string mlir::qc::getSchemeSpecList(QuantTarget target) {
  std::string list;
  for (const QuantSchemeInfo &info : kSchemes)
    if (info.listed && isUsableFor(info, target))
      list += (list.empty() ? "" : ", ") + getSpecName(info);
  return list;
}

std::string mlir::qc::getSchemeSpecHelp(QuantTarget target) {
  std::string help;
  for (const QuantSchemeInfo &info : kSchemes) {
    if (!info.listed || !isUsableFor(info, target))
      continue;
    help +=
        (help.empty() ? "" : "; ") + getSpecName(info) + ": " + info.help.str();
    if (info.bits != BitsSpelling::Fixed)
      help += ", " + getRangeText(info);
  }
  return help;
}

std::string mlir::qc::getSchemeOptionList(QuantTarget target) {
  std::string list;
  for (const QuantSchemeInfo &info : kSchemes)
    if (!info.optionName.empty() && isUsableFor(info, target))
      list += (list.empty() ? "" : ", ") + info.optionName.str();
  return list;
}

/// The row whose spelling `spec` uses: the whole spec for a Fixed row, its
/// start for a <k> row; null when none does.
static const QuantSchemeInfo *findSpelling(StringRef spec) {
  for (const QuantSchemeInfo &info : kSchemes)
    if (info.bits == BitsSpelling::Fixed ? spec == info.spelling
                                         : spec.starts_with(info.spelling))
      return &info;
  return nullptr;
}

std::optional<SchemeSpec> mlir::qc::parseSchemeSpec(StringRef spec,
                                                    QuantTarget target,
                                                    StringRef what,
                                                    std::string &error) {
  bool forWeights = target == QuantTarget::Weights;
  std::string list = getSchemeSpecList(target);
  const QuantSchemeInfo *info = findSpelling(spec);
  if (!info) {
    error = ("unknown " + what + " '" + spec + "' (" + list + ")").str();
    return std::nullopt;
  }
  if (!isUsableFor(*info, target)) {
    error = forWeights
                ? ("'" + spec + "' is an activation spec; weights take " + list)
                      .str()
                : ("'" + spec +
                   "' is a weight spec: activations are computed at "
                   "run time and take " +
                   list)
                      .str();
    return std::nullopt;
  }
  if (info->bits == BitsSpelling::Fixed)
    return SchemeSpec{info->scheme, info->fixedBits};
  unsigned k = 0, bits = 0;
  bool bad = spec.drop_front(info->spelling.size()).getAsInteger(10, k);
  if (info->bits == BitsSpelling::Bits) {
    bits = k;
  } else {
    bad |= !llvm::isPowerOf2_32(k);
    bits = bad ? 0 : llvm::Log2_32(k);
  }
  if (bad || bits < info->minBits || bits > info->maxBits) {
    error = ("'" + spec + "': " + getSpecName(*info) + " takes " +
             getRangeText(*info))
                .str();
    return std::nullopt;
  }
  return SchemeSpec{info->scheme, bits};
}

std::optional<SchemeSpec> mlir::qc::parseSchemeOption(StringRef name,
                                                      unsigned bits,
                                                      QuantTarget target,
                                                      std::string &error) {
  bool forWeights = target == QuantTarget::Weights;
  StringRef option = forWeights ? "weight-scheme" : "activation-scheme";
  StringRef bitsOption = forWeights ? "weight-bits" : "activation-bits";
  std::string list = getSchemeOptionList(target);
  const QuantSchemeInfo *info =
      llvm::find_if(kSchemes, [&](const QuantSchemeInfo &row) {
        return !row.optionName.empty() && row.optionName == name;
      });
  if (info == std::end(kSchemes)) {
    error = ("unknown " + option + " '" + name + "' (" + list + ")").str();
    return std::nullopt;
  }
  if (!isUsableFor(*info, target)) {
    error = forWeights ? ("weight-scheme '" + name +
                          "' is an activation scheme; weights take " + list)
                             .str()
                       : ("activation-scheme '" + name +
                          "' is a weight scheme; activations, computed at run "
                          "time, take " +
                          list)
                             .str();
    return std::nullopt;
  }
  std::string subject =
      (name + (forWeights ? " weights take " : " activations take ") +
       bitsOption)
          .str();
  if (info->bits != BitsSpelling::Fixed) {
    if (bits < info->minBits || bits > info->maxBits) {
      error = subject + " in " + std::to_string(info->minBits) + ".." +
              std::to_string(info->maxBits) + ", got " + std::to_string(bits);
      return std::nullopt;
    }
    return SchemeSpec{info->scheme, bits};
  }
  // A fixed-width activation scheme ignores activation-bits, whose default
  // (8) is for the schemes that take a width.
  if (forWeights && info->checksFixedBits && bits != info->fixedBits) {
    error = subject + "=" + std::to_string(info->fixedBits) + ", got " +
            std::to_string(bits);
    return std::nullopt;
  }
  return SchemeSpec{info->scheme, info->fixedBits};
}
