//===- TensorIOTest.cpp - .npy and IDX readers and writers ----------------===//
//
// Checks the readers against files laid out byte by byte as the .npy format
// (numpy's NEP 1) and the IDX format (MNIST) define them, round-trips the
// writer, and feeds every reader malformed files that must be rejected with
// a message naming the file.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/TensorIO.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

using namespace mlir::qc;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/qc-hostio-" + name;
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), bytes.size());
}

/// A version-1.0 .npy file as numpy writes it: magic, version, header
/// length, the header dict padded with spaces and ending in '\n' so that
/// the data starts at a multiple of 64, then the raw data.
std::string makeNpy(const std::string &dict, const std::string &data) {
  std::string header = dict;
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  return bytes + header + data;
}

std::string floatBytes(std::initializer_list<float> values) {
  std::string bytes;
  for (float v : values)
    bytes.append(reinterpret_cast<const char *>(&v), sizeof v);
  return bytes;
}

TEST(Npy, ReadsFloat32Matrix) {
  std::string path = tempPath("f32.npy");
  writeBytes(path, makeNpy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2, 3), }",
                           floatBytes({1, 2, 3, 4, 5, -6.5f})));
  HostTensor t;
  std::string error;
  ASSERT_TRUE(readNpy(path, t, error)) << error;
  EXPECT_EQ(t.type, DType::F32);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t.data<float>()[5], -6.5f);
}

TEST(Npy, ReadsOneDimensionalAndScalarShapes) {
  std::string path = tempPath("i64.npy");
  int64_t values[3] = {7, -8, 1ll << 40};
  writeBytes(path, makeNpy("{'descr': '<i8', 'fortran_order': False, "
                           "'shape': (3,), }",
                           std::string(reinterpret_cast<char *>(values), 24)));
  HostTensor t;
  std::string error;
  ASSERT_TRUE(readNpy(path, t, error)) << error;
  EXPECT_EQ(t.type, DType::I64);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(t.data<int64_t>()[2], 1ll << 40);

  writeBytes(path, makeNpy("{'descr': '|u1', 'fortran_order': False, "
                           "'shape': (), }",
                           std::string("\xff", 1)));
  ASSERT_TRUE(readNpy(path, t, error)) << error;
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.data<uint8_t>()[0], 255);
}

TEST(Npy, WriterMatchesTheFormatByteForByte) {
  HostTensor t(DType::F32, {2, 2});
  for (int i = 0; i < 4; ++i)
    t.data<float>()[i] = i * 0.5f;
  std::string path = tempPath("written.npy"), error;
  ASSERT_TRUE(writeNpy(path, t, error)) << error;
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, makeNpy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2, 2), }",
                           floatBytes({0, 0.5f, 1, 1.5f})));
  EXPECT_EQ(bytes.size() % 64, 16u); // 64-byte header + 16 data bytes
}

TEST(Npy, RejectsMalformedFiles) {
  struct Case {
    const char *name;
    std::string bytes;
    const char *message;
  } cases[] = {
      {"magic", "NUMPY not really", "missing the \\x93NUMPY magic"},
      {"fortran",
       makeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
               floatBytes({1})),
       "Fortran-order"},
      {"bigendian",
       makeNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
               floatBytes({1})),
       "unsupported dtype '>f4'"},
      {"float64",
       makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
               std::string(8, '\0')),
       "unsupported dtype '<f8'"},
      {"truncated",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
               floatBytes({1, 2})),
       "expected 16 data bytes for shape 4 of float32, found 8"},
      {"noshape", makeNpy("{'descr': '<f4', 'fortran_order': False, }", ""),
       "header lacks"},
      // Found by test/Fuzz: a shape that is no tuple (here empty) used to
      // end in an uncaught std::out_of_range.
      {"emptyshape",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': }", ""),
       "bad shape '', expected a tuple"},
      // Sizes from the header are checked before anything is allocated: a
      // product that wraps to the right byte count, a batch far beyond the
      // data, a dimension beyond 64 bits, and too many dimensions.
      {"overflow",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
               "(4611686018427387906, 1, 28, 28), }",
               std::string(8 * 28 * 28, '\0')),
       "overflows 64 bits"},
      {"hugebatch",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
               "(100000000, 1, 28, 28), }",
               floatBytes({1, 2})),
       "expected 313600000000 data bytes for shape 100000000x1x28x28"},
      {"digits",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                   std::string(99, '9') + ",), }",
               floatBytes({1})),
       "is too large"},
      {"rank",
       makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
               "(1, 1, 1, 1, 1, 1, 1, 1, 1), }",
               floatBytes({1})),
       "more than 8 dimensions"},
  };
  for (const Case &c : cases) {
    std::string path = tempPath(std::string("bad-") + c.name + ".npy");
    writeBytes(path, c.bytes);
    HostTensor t;
    std::string error;
    EXPECT_FALSE(readNpy(path, t, error)) << c.name;
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
  }
  HostTensor t;
  std::string error;
  EXPECT_FALSE(readNpy(tempPath("missing.npy"), t, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
  EXPECT_FALSE(readNpy(::testing::TempDir(), t, error));
  EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
}

/// An IDX file: zero bytes, type 0x08, rank, big-endian extents, data.
std::string makeIdx(std::vector<uint32_t> dims, const std::string &data) {
  std::string bytes("\0\0\x08", 3);
  bytes += static_cast<char>(dims.size());
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes += static_cast<char>((d >> shift) & 0xff);
  return bytes + data;
}

TEST(Idx, ReadsRawAndGzippedImagesWithLimit) {
  std::string data;
  for (int i = 0; i < 3 * 2 * 2; ++i)
    data += static_cast<char>(i * 20);
  std::string raw = makeIdx({3, 2, 2}, data);
  std::string rawPath = tempPath("images.idx"), gzPath = rawPath + ".gz";
  writeBytes(rawPath, raw);
  gzFile gz = gzopen(gzPath.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, raw.data(), raw.size());
  gzclose(gz);
  for (const std::string &path : {rawPath, gzPath}) {
    HostTensor t;
    std::string error;
    ASSERT_TRUE(readIdx(path, t, error)) << error;
    EXPECT_EQ(t.shape, (std::vector<int64_t>{3, 2, 2}));
    EXPECT_EQ(t.data<uint8_t>()[11], 220);
    ASSERT_TRUE(readIdx(path, t, error, /*limit=*/2)) << error;
    EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 2, 2}));
  }
}

TEST(Idx, RejectsMalformedFiles) {
  struct Case {
    const char *name;
    std::string bytes;
    const char *message;
  } cases[] = {
      {"short", std::string("\0\0", 2), "truncated header"},
      {"magic", std::string("\x01\x02\x08\x01", 4) + "xxxx", "bad magic"},
      {"float", std::string("\0\0\x0d\x01", 4) + std::string(4, '\0'),
       "only unsigned-byte data"},
      {"data", makeIdx({10}, "abc"), "expected 10 data bytes"},
      // Extents the data does not hold fail at the data's real end, without
      // allocating what the header claims; products beyond 64 bits are
      // rejected from the header alone.
      {"huge", makeIdx({65536, 65536}, "abc"),
       "expected 4294967296 data bytes for 65536x65536, found 3"},
      {"wrap", makeIdx({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, ""),
       "overflows 64 bits"},
  };
  for (const Case &c : cases) {
    std::string path = tempPath(std::string("bad-") + c.name + ".idx");
    writeBytes(path, c.bytes);
    HostTensor t;
    std::string error;
    EXPECT_FALSE(readIdx(path, t, error)) << c.name;
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
  }
  HostTensor t;
  std::string error;
  EXPECT_FALSE(readIdx(::testing::TempDir(), t, error));
  EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
}

} // namespace
