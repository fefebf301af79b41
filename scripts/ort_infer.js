// scripts/ort_infer.js - runs a float32 model with onnxruntime-node.
//
// The independent reference for scripts/check_torchvision.py and the
// importer's numeric tests: reads each graph input, in the model's input
// order, as a float32 little-endian tensor from IN.bin with shape DIMS
// (comma-separated), writes every output as float32 to OUTDIR/out<i>.bin and
// prints one line per output with its dims. Graph optimizations are off
// (ORT_OPT_LEVEL overrides) so onnxruntime evaluates the graph as written.
//
// Usage: node scripts/ort_infer.js MODEL.onnx OUTDIR IN.bin:DIMS [IN.bin:DIMS ...]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '..', 'node_modules', 'onnxruntime-node'));

async function main() {
  const [model, outdir, ...inputs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1,
    graphOptimizationLevel: process.env.ORT_OPT_LEVEL || 'disabled',
  });
  if (session.inputNames.length !== inputs.length)
    throw new Error(`${model} has ${session.inputNames.length} inputs, got ${inputs.length}`);
  const feeds = {};
  inputs.forEach((arg, i) => {
    const [file, dimsArg] = arg.split(':');
    const dims = dimsArg.split(',').map((d) => parseInt(d, 10));
    const count = dims.reduce((a, b) => a * b, 1);
    const buf = fs.readFileSync(file);
    if (buf.byteLength !== count * 4)
      throw new Error(`${file} has ${buf.byteLength} bytes, expected ${count * 4}`);
    const data = new Float32Array(buf.buffer, buf.byteOffset, count);
    feeds[session.inputNames[i]] = new ort.Tensor('float32', data, dims);
  });
  const results = await session.run(feeds);
  session.outputNames.forEach((name, i) => {
    const out = results[name];
    if (out.type !== 'float32')
      throw new Error(`output '${name}' is ${out.type}, not float32`);
    fs.writeFileSync(path.join(outdir, `out${i}.bin`),
                     Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
    console.log(out.dims.join(','));
  });
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
