//===- QuantSchemes.h - The quantization schemes qc knows -------*- C++ -*-===//
//
// One enum of the weight and activation quantization schemes and the one
// table that says, for each, how specs spell it (`int<k>`, `binary`, ...),
// which bit widths it takes, whether weights and/or activations can use it
// and a one-line help. Spec parsing, the qc-quantize option checks, the
// tools' --quant/--act help and every error that lists the schemes are built
// from this table, so that adding a scheme is one row.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_UTILS_QUANTSCHEMES_H
#define QC_DIALECTS_QC_UTILS_QUANTSCHEMES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// A quantization scheme. Weights take all but Threshold; activations take
/// None, Int, Binary and Threshold (QuantSchemeInfo says which).
enum class QuantScheme {
  /// Float, as the model gives it.
  None,
  /// Weights that training left on a grid, recognized exactly.
  Auto,
  /// Symmetric narrow-range signed uniform codes.
  Int,
  /// Asymmetric (affine) unsigned uniform codes with a zero point.
  UInt,
  /// Sign times a scale (XNOR-Net).
  Binary,
  /// {-alpha, 0, +alpha} (TWN).
  Ternary,
  /// Signed powers of two and zero (INQ).
  PowerOfTwo,
  /// DoReFa-Net's tanh-normalized levels.
  DoReFa,
  /// Indices into a k-means codebook.
  Codebook,
  /// Uniform levels computed by FINN-style thresholds.
  Threshold,
};

/// What a scheme quantizes: a layer's constant weights or its input
/// activations, computed at run time.
enum class QuantTarget { Weights, Activations };

/// How a spec gives a scheme's bit width.
enum class BitsSpelling {
  /// No <k>: the scheme has one width (`fixedBits`), or none of its own.
  Fixed,
  /// <k> is the width, in minBits..maxBits.
  Bits,
  /// <k> is the number of levels, 2^minBits..2^maxBits, a power of two.
  Levels,
};

/// One row of the scheme table.
struct QuantSchemeInfo {
  QuantScheme scheme;
  /// How specs spell it: "int" (written int<k> when `bits` is not Fixed),
  /// "binary".
  llvm::StringLiteral spelling;
  /// The value of qc-quantize's weight-scheme / activation-scheme options,
  /// or "" for a row that is only another spelling.
  llvm::StringLiteral optionName;
  BitsSpelling bits;
  /// The width a Fixed spec stands for (32 for float, 8 for auto, the
  /// widest grid it recognizes), which qc-quantize's bit options must equal
  /// when `checksFixedBits`.
  unsigned fixedBits;
  /// The widths a <k> spec (and qc-quantize's bit option) can give;
  /// fixedBits for a Fixed row.
  unsigned minBits, maxBits;
  /// Whether weights / activations can take the scheme.
  bool weights, activations;
  /// False for a row that is another spelling of a listed one ("float").
  bool listed;
  /// Fixed-width weight schemes whose weight-bits option must equal
  /// `fixedBits` (binary, ternary); none and auto take any.
  bool checksFixedBits;
  /// One line for --help, after the spec.
  llvm::StringLiteral help;
};

/// The rows of the table, in the order lists and help show them.
ArrayRef<QuantSchemeInfo> getQuantSchemeTable();

/// The row of `scheme` (its listed row).
const QuantSchemeInfo &getQuantSchemeInfo(QuantScheme scheme);

/// Whether `target` can take the scheme of `info`.
bool isUsableFor(const QuantSchemeInfo &info, QuantTarget target);

/// A scheme and its bits, as a spec or the qc-quantize options give them.
struct SchemeSpec {
  QuantScheme scheme = QuantScheme::None;
  unsigned bits = 32;
};

/// Parses a spec for `target` ("int4", "binary", "codebook16", ...).
/// Otherwise returns nullopt with `error` saying why: a bad <k>, a spec of
/// the other target, or an unknown spec, phrased as "unknown `what` 'x'
/// (none, auto, int<k>, ...)".
std::optional<SchemeSpec> parseSchemeSpec(StringRef spec, QuantTarget target,
                                          StringRef what, std::string &error);

/// The specs `target` takes, as lists in errors show them:
/// "none, auto, int<k>, uint<k>, ...".
std::string getSchemeSpecList(QuantTarget target);

/// The specs `target` takes with their help and bit ranges, for --help:
/// "none: float, as the model gives it; ...; int<k>: ..., k in 2..8; ...".
std::string getSchemeSpecHelp(QuantTarget target);

/// The option names of qc-quantize's weight-scheme / activation-scheme for
/// `target`: "none, auto, uniform, ...".
std::string getSchemeOptionList(QuantTarget target);

/// Looks up qc-quantize's weight-scheme (or activation-scheme) option value
/// `name` with its bits option `bits`. Otherwise returns nullopt with
/// `error` saying why, naming the option (`weight-scheme`,
/// `weight-bits`, ...).
std::optional<SchemeSpec> parseSchemeOption(StringRef name, unsigned bits,
                                            QuantTarget target,
                                            std::string &error);

/// The qc-quantize option value of `scheme` ("uniform" for Int).
StringRef getSchemeOptionName(QuantScheme scheme);

} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_UTILS_QUANTSCHEMES_H
