// models/ort_run.js - runs one zoo model with onnxruntime-node (independent float reference).
//
// Used by models/check_models.py to cross-check the exported ONNX files
// against the torch / numpy reference logits with a third implementation.
// Reads N x 1 x 28 x 28 float32 little-endian images from INPUT.bin, runs the
// model's "input" -> "logits", writes N x 10 float32 to OUTPUT.bin.
//
// Usage: node models/ort_run.js MODEL.onnx INPUT.bin N OUTPUT.bin
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '..', 'node_modules', 'onnxruntime-node'));

async function main() {
  const [model, input, n, output] = process.argv.slice(2);
  const count = parseInt(n, 10);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, count * 28 * 28);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: process.env.ORT_OPT_LEVEL || 'all',
  });
  const result = await session.run({input: new ort.Tensor('float32', data, [count, 1, 28, 28])});
  const logits = result.logits.data;
  fs.writeFileSync(output, Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength));
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
