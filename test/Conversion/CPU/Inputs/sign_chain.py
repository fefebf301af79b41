"""Writes a chain of N ONNX-style Signs as linalg on tensors, the form
TOSA's lowering gives them (two compares and two selects per Sign, a
static batch of 1 read through (0, d1) maps), each op with its own name
location, for qc-linalg-elementwise-fusion's location test."""
import sys

n = int(sys.argv[1])
lines = ['func.func @signs(%x: tensor<1x16xf32>) -> tensor<1x16xf32> {',
         '  %one = arith.constant dense<1.0> : tensor<1x1xf32>',
         '  %minus = arith.constant dense<-1.0> : tensor<1x1xf32>',
         '  %zero = arith.constant dense<0.0> : tensor<1x1xf32>']
row = 'affine_map<(d0, d1) -> (0, d1)>'
one = 'affine_map<(d0, d1) -> (0, 0)>'
out = 'affine_map<(d0, d1) -> (d0, d1)>'
par = 'iterator_types = ["parallel", "parallel"]'
prev = '%x'
for i in range(n):
    lines += [
        f'  %e{i}a = tensor.empty() : tensor<1x16xi1>',
        f'  %p{i} = linalg.generic {{indexing_maps = [{row}, {one}, {out}], {par}}} ins({prev}, %zero : tensor<1x16xf32>, tensor<1x1xf32>) outs(%e{i}a : tensor<1x16xi1>) {{',
        '  ^bb0(%a: f32, %b: f32, %o: i1):',
        '    %c = arith.cmpf ogt, %a, %b : f32',
        '    linalg.yield %c : i1',
        f'  }} -> tensor<1x16xi1> loc("positive{i}")',
        f'  %e{i}b = tensor.empty() : tensor<1x16xi1>',
        f'  %n{i} = linalg.generic {{indexing_maps = [{one}, {row}, {out}], {par}}} ins(%zero, {prev} : tensor<1x1xf32>, tensor<1x16xf32>) outs(%e{i}b : tensor<1x16xi1>) {{',
        '  ^bb0(%a: f32, %b: f32, %o: i1):',
        '    %c = arith.cmpf ogt, %a, %b : f32',
        '    linalg.yield %c : i1',
        f'  }} -> tensor<1x16xi1> loc("negative{i}")',
        f'  %e{i}c = tensor.empty() : tensor<1x16xf32>',
        f'  %m{i} = linalg.generic {{indexing_maps = [{row}, {one}, {one}, {out}], {par}}} ins(%n{i}, %minus, %zero : tensor<1x16xi1>, tensor<1x1xf32>, tensor<1x1xf32>) outs(%e{i}c : tensor<1x16xf32>) {{',
        '  ^bb0(%a: i1, %b: f32, %c: f32, %o: f32):',
        '    %s = arith.select %a, %b, %c : f32',
        '    linalg.yield %s : f32',
        f'  }} -> tensor<1x16xf32> loc("minus{i}")',
        f'  %e{i}d = tensor.empty() : tensor<1x16xf32>',
        f'  %s{i} = linalg.generic {{indexing_maps = [{row}, {one}, {row}, {out}], {par}}} ins(%p{i}, %one, %m{i} : tensor<1x16xi1>, tensor<1x1xf32>, tensor<1x16xf32>) outs(%e{i}d : tensor<1x16xf32>) {{',
        '  ^bb0(%a: i1, %b: f32, %c: f32, %o: f32):',
        '    %s = arith.select %a, %b, %c : f32',
        '    linalg.yield %s : f32',
        f'  }} -> tensor<1x16xf32> loc("sign{i}")',
    ]
    prev = f'%s{i}'
lines += [f'  return {prev} : tensor<1x16xf32>', '}']
print('\n'.join(lines))
