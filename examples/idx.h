/* idx.h - Reading MNIST-format IDX files, for the examples.
 *
 * IDX files (optionally gzip-compressed) hold a big-endian header and
 * unsigned bytes: images as (count, rows, columns), labels as (count).
 * read_idx() reads one whole file; link the example with -lz. */
#ifndef QC_EXAMPLES_IDX_H
#define QC_EXAMPLES_IDX_H

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* Reads the unsigned-byte IDX file at `path` (gzip or plain). Returns the
   data (free() it) with the number of items in `count` and the bytes per
   item in `item_size`, or NULL after printing why to stderr. */
static unsigned char *read_idx(const char *path, unsigned *count,
                               unsigned *item_size) {
  gzFile f = gzopen(path, "rb");
  unsigned char header[4], dim[4];
  unsigned rank, i, size = 1;
  unsigned char *data;
  if (!f) {
    fprintf(stderr, "read_idx: cannot open %s\n", path);
    return NULL;
  }
  if (gzread(f, header, 4) != 4 || header[2] != 0x08 || header[3] < 1) {
    fprintf(stderr, "read_idx: %s is not an unsigned-byte IDX file\n", path);
    gzclose(f);
    return NULL;
  }
  rank = header[3];
  for (i = 0; i < rank; ++i) {
    unsigned d;
    if (gzread(f, dim, 4) != 4) {
      fprintf(stderr, "read_idx: %s: truncated header\n", path);
      gzclose(f);
      return NULL;
    }
    d = (unsigned)dim[0] << 24 | dim[1] << 16 | dim[2] << 8 | dim[3];
    if (i == 0)
      *count = d;
    else
      size *= d;
  }
  *item_size = size;
  data = malloc((size_t)*count * size);
  if (!data || gzread(f, data, *count * size) != (int)(*count * size)) {
    fprintf(stderr, "read_idx: %s: truncated data\n", path);
    free(data);
    gzclose(f);
    return NULL;
  }
  gzclose(f);
  return data;
}

/* Reads an IDX image set and its labels. Fails (returns 0, with a message
 * naming `program`) unless there is one label per image and every image has
 * `pixels` bytes; sets `*count` to the number of images. */
static int read_dataset(const char *program, const char *images_path,
                        const char *labels_path, unsigned pixels,
                        unsigned char **images, unsigned char **labels,
                        unsigned *count) {
  unsigned n, image_pixels, labels_n, one;
  *images = read_idx(images_path, &n, &image_pixels);
  *labels = read_idx(labels_path, &labels_n, &one);
  if (!*images || !*labels)
    return 0;
  if (labels_n != n || image_pixels != pixels) {
    fprintf(stderr,
            "%s: %u images of %u pixels and %u labels; the model takes "
            "images of %u pixels\n",
            program, n, image_pixels, labels_n, pixels);
    return 0;
  }
  *count = n;
  return 1;
}

#endif /* QC_EXAMPLES_IDX_H */
