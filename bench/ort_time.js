// bench/ort_time.js - times a float model in onnxruntime-node.
//
// Runs MODEL.onnx on a seeded random float32 input of shape DIMS (its batch
// first) with intra- and inter-op threads set to THREADS and all graph
// optimizations on (onnxruntime as users run it), after WARMUP runs, REPEATS
// times, and prints one JSON line: median, min and max milliseconds per
// image.
//
// Usage: node bench/ort_time.js MODEL.onnx DIMS THREADS REPEATS [WARMUP]
'use strict';
const path = require('path');
const ort = require(path.join(__dirname, '..', 'node_modules', 'onnxruntime-node'));

async function main() {
  const [model, dimsArg, threadsArg, repeatsArg, warmupArg] = process.argv.slice(2);
  const dims = dimsArg.split(',').map((d) => parseInt(d, 10));
  const threads = parseInt(threadsArg, 10);
  const repeats = parseInt(repeatsArg, 10);
  const warmup = parseInt(warmupArg || '3', 10);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1,
    graphOptimizationLevel: 'all', executionMode: 'sequential',
  });
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  let seed = 12345;
  for (let i = 0; i < count; ++i) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    data[i] = seed / 2147483648;
  }
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, dims) };
  for (let i = 0; i < warmup; ++i)
    await session.run(feeds);
  const times = [];
  for (let i = 0; i < repeats; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6 / dims[0]);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({
    median: times[Math.floor(times.length / 2)], min: times[0],
    max: times[times.length - 1],
  }));
}

main().catch((e) => { console.error(e.message); process.exit(1); });
