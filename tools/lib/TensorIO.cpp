//===- TensorIO.cpp - .npy and IDX files for the tools --------------------===//
//
// .npy and IDX readers and writers. Every malformed input is reported with
// the file name and the reason; nothing aborts on bad data.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/TensorIO.h"

#include <zlib.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

using namespace mlir::qc;

/// numpy descr of `type` as written ('<f4', '|i1', ...).
static const char *getDescr(DType type) {
  switch (type) {
  case DType::F32:
    return "<f4";
  case DType::I8:
    return "|i1";
  case DType::U8:
    return "|u1";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  }
  return "?";
}

/// Dimensions a tensor read from a file may have.
static constexpr size_t kMaxRank = 8;

/// `dims`' element count times `elementSize`, or nullopt when that
/// overflows int64. Every size read from a file goes through here before
/// anything is allocated.
static std::optional<int64_t> getByteSize(const std::vector<int64_t> &dims,
                                          size_t elementSize) {
  int64_t bytes = static_cast<int64_t>(elementSize);
  for (int64_t d : dims)
    if (d < 0 || __builtin_mul_overflow(bytes, d, &bytes))
      return std::nullopt;
  return bytes;
}

/// False with `error` set when `path` is a directory, so that the readers
/// never try to parse one.
static bool checkNotDirectory(const std::string &path, std::string &error) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    error = path + ": is a directory, expected a file";
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

/// Finds the value text after `'key':` in a numpy header dict.
static bool findHeaderValue(const std::string &header, const std::string &key,
                            std::string &value) {
  size_t pos = header.find("'" + key + "'");
  if (pos == std::string::npos)
    return false;
  pos = header.find(':', pos);
  if (pos == std::string::npos)
    return false;
  ++pos;
  while (pos < header.size() && header[pos] == ' ')
    ++pos;
  size_t end = pos;
  if (pos < header.size() && header[pos] == '(') {
    end = header.find(')', pos);
    if (end == std::string::npos)
      return false;
    ++end;
  } else {
    while (end < header.size() && header[end] != ',' && header[end] != '}')
      ++end;
  }
  value = header.substr(pos, end - pos);
  return true;
}

bool mlir::qc::readNpy(const std::string &path, HostTensor &tensor,
                 std::string &error) {
  if (!checkNotDirectory(path, error))
    return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open file";
    return false;
  }
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  auto fail = [&](const std::string &why) {
    error = path + ": not a valid .npy file: " + why;
    return false;
  };
  if (content.size() < 10 || content.compare(0, 6, "\x93NUMPY") != 0)
    return fail("missing the \\x93NUMPY magic");
  unsigned major = static_cast<uint8_t>(content[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<uint8_t>(content[8]) |
                   (static_cast<uint8_t>(content[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (content.size() < 12)
      return fail("truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = (headerLength << 8) | static_cast<uint8_t>(content[8 + i]);
    headerStart = 12;
  } else {
    return fail("unsupported format version " + std::to_string(major));
  }
  if (headerStart + headerLength > content.size())
    return fail("truncated header");
  std::string header = content.substr(headerStart, headerLength);

  std::string descr, fortran, shapeText;
  if (!findHeaderValue(header, "descr", descr) ||
      !findHeaderValue(header, "fortran_order", fortran) ||
      !findHeaderValue(header, "shape", shapeText))
    return fail("header lacks 'descr', 'fortran_order' or 'shape'");
  if (fortran.find("True") != std::string::npos)
    return fail("Fortran-order arrays are not supported; save in C order");
  if (descr.size() < 5)
    return fail("bad descr " + descr);
  std::string code = descr.substr(1, descr.size() - 2); // strip quotes
  DType type;
  if (code == "<f4" || code == "=f4")
    type = DType::F32;
  else if (code == "|i1" || code == "<i1" || code == "=i1")
    type = DType::I8;
  else if (code == "|u1" || code == "<u1" || code == "=u1")
    type = DType::U8;
  else if (code == "<i4" || code == "=i4")
    type = DType::I32;
  else if (code == "<i8" || code == "=i8")
    type = DType::I64;
  else
    return fail("unsupported dtype '" + code +
                "' (supported: float32, int8, uint8, int32, int64, "
                "little-endian)");

  if (shapeText.size() < 2 || shapeText.front() != '(' ||
      shapeText.back() != ')')
    return fail("bad shape '" + shapeText + "', expected a tuple");
  std::vector<int64_t> shape;
  std::string dims = shapeText.substr(1, shapeText.size() - 2);
  std::stringstream stream(dims);
  std::string item;
  while (std::getline(stream, item, ',')) {
    size_t first = item.find_first_not_of(' ');
    if (first == std::string::npos)
      continue;
    char *end = nullptr;
    errno = 0;
    long long d = std::strtoll(item.c_str() + first, &end, 10);
    if (end == item.c_str() + first || d < 0)
      return fail("bad shape " + shapeText);
    if (errno == ERANGE)
      return fail("dimension " + item.substr(first) + " of shape " +
                  shapeText + " is too large");
    if (shape.size() == kMaxRank)
      return fail("shape " + shapeText + " has more than " +
                  std::to_string(kMaxRank) + " dimensions");
    shape.push_back(d);
  }
  // The shape is checked against the bytes the file holds before anything
  // is allocated, so a header cannot claim more than the file has.
  size_t dataStart = headerStart + headerLength;
  size_t dataBytes = content.size() - dataStart;
  std::optional<int64_t> bytes = getByteSize(shape, getDTypeSize(type));
  if (!bytes)
    return fail("the element count of shape " + shapeText +
                " overflows 64 bits");
  if (static_cast<uint64_t>(*bytes) != dataBytes) {
    return fail("expected " + std::to_string(*bytes) +
                " data bytes for shape " + formatShape(shape) + " of " +
                getDTypeName(type) + ", found " + std::to_string(dataBytes));
  }
  HostTensor result(type, shape);
  // An empty tensor's vector may have no storage: memcpy must not see null.
  if (!result.bytes.empty())
    std::memcpy(result.bytes.data(), content.data() + dataStart,
                result.bytes.size());
  tensor = std::move(result);
  return true;
}

bool mlir::qc::writeNpy(const std::string &path, const HostTensor &tensor,
                  std::string &error) {
  std::string shape = "(";
  for (int64_t d : tensor.shape)
    shape += std::to_string(d) + ", ";
  if (tensor.shape.size() > 1)
    shape.erase(shape.size() - 2);
  else if (tensor.shape.size() == 1)
    shape.erase(shape.size() - 1);
  shape += ")";
  std::string header = std::string("{'descr': '") + getDescr(tensor.type) +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::string temporary = path + ".tmp";
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) {
    error = path + ": cannot create file";
    return false;
  }
  out.write("\x93NUMPY\x01\x00", 8);
  char length[2] = {static_cast<char>(header.size() & 0xff),
                    static_cast<char>(header.size() >> 8)};
  out.write(length, 2);
  out.write(header.data(), header.size());
  out.write(reinterpret_cast<const char *>(tensor.bytes.data()),
            tensor.bytes.size());
  out.close();
  if (!out || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    error = path + ": failed to write file";
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// IDX
//===----------------------------------------------------------------------===//

bool mlir::qc::readIdx(const std::string &path, HostTensor &tensor,
                       std::string &error, int64_t limit) {
  if (!checkNotDirectory(path, error))
    return false;
  gzFile file = gzopen(path.c_str(), "rb"); // also reads uncompressed files
  if (!file) {
    error = path + ": cannot open file";
    return false;
  }
  auto fail = [&](const std::string &why) {
    gzclose(file);
    error = path + ": not a valid IDX file: " + why;
    return false;
  };
  unsigned char magic[4];
  if (gzread(file, magic, 4) != 4)
    return fail("truncated header");
  if (magic[0] != 0 || magic[1] != 0)
    return fail("bad magic number");
  if (magic[2] != 0x08)
    return fail("only unsigned-byte data (type 0x08) is supported");
  unsigned rank = magic[3];
  if (rank < 1 || rank > 4)
    return fail("unsupported rank " + std::to_string(rank));
  std::vector<int64_t> shape;
  for (unsigned i = 0; i < rank; ++i) {
    unsigned char d[4];
    if (gzread(file, d, 4) != 4)
      return fail("truncated header");
    shape.push_back((int64_t(d[0]) << 24) | (d[1] << 16) | (d[2] << 8) | d[3]);
  }
  if (limit > 0 && limit < shape[0])
    shape[0] = limit;
  std::optional<int64_t> want = getByteSize(shape, 1);
  if (!want)
    return fail("the element count of dimensions " + formatShape(shape) +
                " overflows 64 bits");
  // Read in chunks and grow the buffer as data arrives: the header of a
  // gzipped file says nothing true about its size, so a file that claims
  // more than it holds fails at its real end instead of allocating what it
  // claims.
  std::vector<uint8_t> bytes;
  int64_t got = 0;
  constexpr int64_t kChunk = int64_t(1) << 24;
  while (got < *want) {
    int64_t chunk = std::min<int64_t>(*want - got, kChunk);
    bytes.resize(got + chunk);
    int n = gzread(file, bytes.data() + got, static_cast<unsigned>(chunk));
    if (n <= 0)
      return fail("expected " + std::to_string(*want) + " data bytes for " +
                  formatShape(shape) + ", found " + std::to_string(got));
    got += n;
  }
  gzclose(file);
  HostTensor result;
  result.type = DType::U8;
  result.shape = std::move(shape);
  result.bytes = std::move(bytes);
  tensor = std::move(result);
  return true;
}
