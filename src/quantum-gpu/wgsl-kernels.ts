/**
 * WGSL sources of the GPU state-vector kernels. Amplitudes are vec2<f32> (complex64: WGSL has no f64). The state
 * is split into chunks of 2^c amplitudes, one storage buffer each, so every index inside a shader is a u32 local
 * index; qubits ≥ c select the chunk and are handled by choosing which buffers a dispatch binds.
 *
 * Threads are laid out on a 2-D grid (a dispatch dimension holds at most 65535 workgroups): thread t = x + y·wgx.
 */

/** Threads per workgroup for the element-wise kernels. */
export const WG = 256;
/** Workgroups of the reduction kernel per chunk at most (partial sums read back per dispatch). */
export const REDUCE_GROUPS = 1024;
/** Threads that cooperate on one shot when the sampler descends into a block. */
export const DESCENT_THREADS = 64;
/** Largest matrix the dense kernel takes (uniform buffer of 2^(2k) complex values: 32 KiB at k = 6). */
export const MAX_DENSE_QUBITS = 6;
/** Largest local diagonal (1024 complex values in a uniform buffer). */
export const MAX_DIAG_LOCAL_QUBITS = 10;
/**
 * Widest tile: 2^11 complex64 amplitudes = 16 KiB of workgroup memory (narrower where the adapter offers less).
 * Chosen by the gpu benchmark on an H100: 2^12 tiles need fewer passes but hold fewer workgroups per SM, and the
 * depth-20 random circuit at 30 qubits ran 1.6 s with them against 1.0–1.1 s with 2^11.
 */
export const TILE_QUBITS = 11;
/** Low qubits every tile contains: 2^3 consecutive amplitudes = 64-byte segments per load. */
export const TILE_LOW_QUBITS = 3;

const COMMON = /* wgsl */ `
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
`;

/**
 * Dense k-qubit matrix on 2^h buffers (h targets lie above the chunk). Local targets and local controls get zero
 * bits inserted (P.ins, ascending); value-1 local controls are set through P.cbits. The matrix is reordered on the
 * host so that index m = (high bits of m) · 2^(k−h) + (local bits of m), and P.off[l] is the local offset of l.
 */
export function denseWgsl(k: number, h: number): string {
  const dim = 1 << k;
  const local = 1 << (k - h);
  const buffers = 1 << h;
  const decl: string[] = [];
  const loads: string[] = [];
  const stores: string[] = [];
  for (let b = 0; b < buffers; b++) {
    decl.push(`@group(0) @binding(${2 + b}) var<storage, read_write> s${b}: array<vec2<f32>>;`);
    for (let l = 0; l < local; l++) {
      const off = `P.off[${l >> 2}][${l & 3}]`;
      loads.push(`  a[${b * local + l}] = s${b}[base + ${off}];`);
      stores.push(`  s${b}[base + ${off}] = o[${b * local + l}];`);
    }
  }
  return /* wgsl */ `
struct Params {
  count: u32, wgx: u32, nins: u32, cbits: u32,
  ins: array<vec4<u32>, 8>,
  off: array<vec4<u32>, 16>,
};
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<uniform> M: array<vec4<f32>, ${Math.max(1, (dim * dim) / 2)}>;
${decl.join('\n')}
${COMMON}
fn mel(i: u32) -> vec2<f32> {
  let v = M[i >> 1u];
  return select(v.xy, v.zw, (i & 1u) == 1u);
}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let t = g.x + g.y * P.wgx;
  if (t >= P.count) { return; }
  var base = t;
  for (var j = 0u; j < P.nins; j++) {
    let p = P.ins[j >> 2u][j & 3u];
    let lo = base & ((1u << p) - 1u);
    base = ((base ^ lo) << 1u) | lo;
  }
  base = base | P.cbits;
  var a: array<vec2<f32>, ${dim}>;
  var o: array<vec2<f32>, ${dim}>;
${loads.join('\n')}
  for (var r = 0u; r < ${dim}u; r++) {
    var acc = vec2<f32>(0.0, 0.0);
    for (var c = 0u; c < ${dim}u; c++) {
      acc += cmul(mel(r * ${dim}u + c), a[c]);
    }
    o[r] = acc;
  }
${stores.join('\n')}
}
`;
}

/** Diagonal on local qubits: ψ[i] *= D[l(i)], l(i) gathering the bits of i at P.pos (bit j of l = bit pos[j]). */
export function diagonalWgsl(): string {
  return /* wgsl */ `
struct Params {
  count: u32, wgx: u32, npos: u32, pad: u32,
  pos: array<vec4<u32>, 4>,
};
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<uniform> D: array<vec4<f32>, ${(1 << MAX_DIAG_LOCAL_QUBITS) / 2}>;
@group(0) @binding(2) var<storage, read_write> s: array<vec2<f32>>;
${COMMON}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x + g.y * P.wgx;
  if (i >= P.count) { return; }
  var l = 0u;
  for (var j = 0u; j < P.npos; j++) {
    l = l | (((i >> P.pos[j >> 2u][j & 3u]) & 1u) << j);
  }
  let v = D[l >> 1u];
  s[i] = cmul(select(v.xy, v.zw, (l & 1u) == 1u), s[i]);
}
`;
}

/**
 * A tile pass (see gpu-pass-plan.ts): each workgroup loads the 2^P.size amplitudes of one tile into workgroup
 * memory, applies the pass's gates there (a barrier between gates) and writes the tile back. Tile bit j < P.lbits is
 * local qubit P.ins[j] (ascending; the tile number gets zero bits inserted at those positions to give the tile's
 * base index); the top h tile bits choose one of the 2^h bound chunk buffers. `t` is the widest tile (workgroup
 * memory of 2^t amplitudes); `h` is compiled in because it fixes the number of bindings, and `kmax` (the widest
 * gate of the pass) because code for wider gates costs registers, and registers decide how many tiles an SM holds.
 *
 * G holds three vec4<u32> per gate: (k, selector count, matrix offset, 0), (tile positions of the k gate qubits),
 * (selector qubits). A selector qubit lies outside the tile, so its bit is the same for the whole tile (from the
 * base index, or from P.chunk for a chunk qubit): the bits pick one of the gate's 2^s matrices of 2^k × 2^k.
 */
export function tileWgsl(t: number, h: number, kmax = 3): string {
  const size = 1 << t;
  const per = Math.max(1, size / WG);
  const buffers = 1 << h;
  const decl: string[] = [];
  const loads: string[] = [];
  const stores: string[] = [];
  for (let b = 0; b < buffers; b++) {
    decl.push(`@group(0) @binding(${3 + b}) var<storage, read_write> s${b}: array<vec2<f32>>;`);
    loads.push(`case ${b}u: { w[i] = s${b}[a]; }`);
    stores.push(`case ${b}u: { s${b}[a] = w[i]; }`);
  }
  const K2 = `    } else if (k == 2u) {
      let p0 = d1.x;
      let p1 = d1.y;
      let o0 = 1u << p0;
      let o1 = 1u << p1;
      for (var x = lane; x < (size >> 2u); x += ${WG}u) {
        let lo0 = x & (o0 - 1u);
        var b = ((x ^ lo0) << 1u) | lo0;
        let lo1 = b & (o1 - 1u);
        b = ((b ^ lo1) << 1u) | lo1;
        let a0 = w[b]; let a1 = w[b | o0]; let a2 = w[b | o1]; let a3 = w[b | o0 | o1];
        var r: array<vec2<f32>, 4>;
        for (var row = 0u; row < 4u; row++) {
          let m = mo + 4u * row;
          r[row] = cmul(M[m], a0) + cmul(M[m + 1u], a1) + cmul(M[m + 2u], a2) + cmul(M[m + 3u], a3);
        }
        w[b] = r[0]; w[b | o0] = r[1]; w[b | o1] = r[2]; w[b | o0 | o1] = r[3];
      }
`;
  const K3 = `    } else if (k == 3u) {
      let o0 = 1u << d1.x;
      let o1 = 1u << d1.y;
      let o2 = 1u << d1.z;
      for (var x = lane; x < (size >> 3u); x += ${WG}u) {
        var b = x;
        for (var j = 0u; j < 3u; j++) {
          let lo = b & ((1u << d1[j]) - 1u);
          b = ((b ^ lo) << 1u) | lo;
        }
        var a: array<vec2<f32>, 8>;
        for (var v = 0u; v < 8u; v++) {
          a[v] = w[b | select(0u, o0, (v & 1u) != 0u) | select(0u, o1, (v & 2u) != 0u) | select(0u, o2, (v & 4u) != 0u)];
        }
        for (var row = 0u; row < 8u; row++) {
          var acc = vec2<f32>(0.0, 0.0);
          for (var col = 0u; col < 8u; col++) { acc += cmul(M[mo + 8u * row + col], a[col]); }
          w[b | select(0u, o0, (row & 1u) != 0u) | select(0u, o1, (row & 2u) != 0u) | select(0u, o2, (row & 4u) != 0u)] = acc;
        }
      }
`;
  const load = h === 0 ? 'w[i] = s0[a];' : `switch (i >> P.lbits) { ${loads.join(' ')} default: {} }`;
  const store = h === 0 ? 's0[a] = w[i];' : `switch (i >> P.lbits) { ${stores.join(' ')} default: {} }`;
  return /* wgsl */ `
struct Params {
  bits: u32, tiles: u32, ngates: u32, c: u32,
  chunk: u32, lbits: u32, pad0: u32, pad1: u32,
  ins: array<vec4<u32>, 8>,
};
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> G: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> M: array<vec2<f32>>;
${decl.join('\n')}
var<workgroup> w: array<vec2<f32>, ${size}>;
${COMMON}
fn insAt(j: u32) -> u32 { return P.ins[j >> 2u][j & 3u]; }
/** Local index bits of tile bits [from, to) of x. */
fn dep(x: u32, lo: u32, hi: u32) -> u32 {
  var r = 0u;
  for (var j = lo; j < hi; j++) { r = r | (((x >> j) & 1u) << insAt(j)); }
  return r;
}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) li: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>,
        @builtin(num_workgroups) nw: vec3<u32>) {
  let tile = wg.x + wg.y * nw.x;
  if (tile >= P.tiles) { return; }
  let size = 1u << P.bits;
  var base = tile;
  for (var j = 0u; j < P.lbits; j++) {
    let p = insAt(j);
    let lo = base & ((1u << p) - 1u);
    base = ((base ^ lo) << 1u) | lo;
  }
  let lane = li.x;
  let dl = base | dep(lane, 0u, min(8u, P.lbits));
  for (var e = 0u; e < ${per}u; e++) {
    let i = lane + e * ${WG}u;
    if (i < size) {
      let a = dl | dep(i, 8u, P.lbits);
      ${load}
    }
  }
  workgroupBarrier();
  for (var gi = 0u; gi < P.ngates; gi++) {
    let d0 = G[3u * gi];
    let d1 = G[3u * gi + 1u];
    let d2 = G[3u * gi + 2u];
    let k = d0.x;
    var sel = 0u;
    for (var j = 0u; j < d0.y; j++) {
      let q = d2[j];
      var bit = 0u;
      if (q < P.c) { bit = (base >> q) & 1u; } else { bit = (P.chunk >> (q - P.c)) & 1u; }
      sel = sel | (bit << j);
    }
    let mo = d0.z + sel * (1u << (2u * k));
    if (k == 1u) {
      let p = d1.x;
      let m0 = M[mo]; let m1 = M[mo + 1u]; let m2 = M[mo + 2u]; let m3 = M[mo + 3u];
      for (var x = lane; x < (size >> 1u); x += ${WG}u) {
        let lo = x & ((1u << p) - 1u);
        let i0 = ((x ^ lo) << 1u) | lo;
        let i1 = i0 | (1u << p);
        let a0 = w[i0];
        let a1 = w[i1];
        w[i0] = cmul(m0, a0) + cmul(m1, a1);
        w[i1] = cmul(m2, a0) + cmul(m3, a1);
      }
${kmax >= 2 ? K2 : ''}${kmax >= 3 ? K3 : ''}    } else {
      let f = M[mo];
      for (var i = lane; i < size; i += ${WG}u) { w[i] = cmul(f, w[i]); }
    }
    workgroupBarrier();
  }
  for (var e = 0u; e < ${per}u; e++) {
    let i = lane + e * ${WG}u;
    if (i < size) {
      let a = dl | dep(i, 8u, P.lbits);
      ${store}
    }
  }
}
`;
}

/** ψ[i] ← f·ψ[i] where (i & mask) == val, 0 elsewhere (scale, global phase, collapse). */
export function elementwiseWgsl(): string {
  return /* wgsl */ `
struct Params { count: u32, wgx: u32, mask: u32, val: u32, f: vec2<f32>, pad: vec2<f32> };
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> s: array<vec2<f32>>;
${COMMON}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x + g.y * P.wgx;
  if (i >= P.count) { return; }
  s[i] = select(vec2<f32>(0.0, 0.0), cmul(P.f, s[i]), (i & P.mask) == P.val);
}
`;
}

/** dst[i] = src[i]: the copy kernel whose bandwidth the benchmark compares the gate kernels against. */
export function copyWgsl(): string {
  return /* wgsl */ `
struct Params { count: u32, wgx: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec2<f32>>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x + g.y * P.wgx;
  if (i >= P.count) { return; }
  dst[i] = src[i];
}
`;
}

/**
 * Partial sums of conj(B[i ^ flip]) · A[i] · (−1)^{popcount(i & sign)} over i with (i & fmask) == fval, one per
 * workgroup, written at out[P.outBase + workgroup]. With A = B and flip = sign = 0 this sums probabilities; with a
 * Pauli string's masks it is ⟨ψ|P|ψ⟩'s contribution of one chunk pair. Each thread keeps a compensated sum.
 */
export function reduceWgsl(): string {
  return /* wgsl */ `
struct Params { count: u32, threads: u32, flip: u32, sign: u32, fmask: u32, fval: u32, outBase: u32, pad: u32 };
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> B: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
var<workgroup> part: array<vec2<f32>, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(local_invocation_id) li: vec3<u32>,
        @builtin(workgroup_id) wg: vec3<u32>) {
  var sum = vec2<f32>(0.0, 0.0);
  var comp = vec2<f32>(0.0, 0.0);
  for (var i = g.x; i < P.count; i += P.threads) {
    if ((i & P.fmask) != P.fval) { continue; }
    let a = A[i];
    let b = B[i ^ P.flip];
    var v = vec2<f32>(b.x * a.x + b.y * a.y, b.x * a.y - b.y * a.x);
    if ((countOneBits(i & P.sign) & 1u) == 1u) { v = -v; }
    let y = v - comp;
    let t = sum + y;
    comp = (t - sum) - y;
    sum = t;
  }
  part[li.x] = sum;
  workgroupBarrier();
  for (var step = ${WG / 2}u; step > 0u; step = step >> 1u) {
    if (li.x < step) { part[li.x] = part[li.x] + part[li.x + step]; }
    workgroupBarrier();
  }
  if (li.x == 0u) { out[P.outBase + wg.x] = part[0]; }
}
`;
}

/** Σ |ψ|² per block of P.block amplitudes, one workgroup per block: the first level of the sampling tree. */
export function blockSumWgsl(): string {
  return /* wgsl */ `
struct Params { blocks: u32, block: u32, outBase: u32, pad: u32 };
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> s: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) li: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>,
        @builtin(num_workgroups) nw: vec3<u32>) {
  let blk = wg.x + wg.y * nw.x;
  if (blk >= P.blocks) { return; }
  let start = blk * P.block;
  var sum = 0.0;
  for (var i = li.x; i < P.block; i += ${WG}u) {
    let a = s[start + i];
    sum += dot(a, a);
  }
  part[li.x] = sum;
  workgroupBarrier();
  for (var step = ${WG / 2}u; step > 0u; step = step >> 1u) {
    if (li.x < step) { part[li.x] = part[li.x] + part[li.x + step]; }
    workgroupBarrier();
  }
  if (li.x == 0u) { out[P.outBase + blk] = part[0]; }
}
`;
}

/**
 * The sampler's descent inside a block: one workgroup per shot. Q[s] = (block, bits of the residual uniform r).
 * Each thread sums one segment of the block; thread 0 walks the segment sums to the segment where the running sum
 * passes r, then the amplitudes inside it. Rounding can leave r past the block's sum: the last index with weight
 * is taken then, as the CPU sampler does.
 */
export function descentWgsl(): string {
  return /* wgsl */ `
struct Params { shots: u32, block: u32, seg: u32, wgx: u32 };
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> s: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> Q: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
var<workgroup> part: array<f32, ${DESCENT_THREADS}>;
@compute @workgroup_size(${DESCENT_THREADS})
fn main(@builtin(local_invocation_id) li: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>) {
  let shot = wg.x + wg.y * P.wgx;
  if (shot >= P.shots) { return; }
  let q = Q[shot];
  let start = q.x * P.block;
  let r = bitcast<f32>(q.y);
  var sum = 0.0;
  let lo = li.x * P.seg;
  for (var i = lo; i < min(lo + P.seg, P.block); i++) {
    let a = s[start + i];
    sum += dot(a, a);
  }
  part[li.x] = sum;
  workgroupBarrier();
  if (li.x != 0u) { return; }
  var cum = 0.0;
  var last = 0u;
  for (var t = 0u; t < ${DESCENT_THREADS}u; t++) {
    if (part[t] > 0.0) { last = t; }
    if (cum + part[t] > r) {
      let first = t * P.seg;
      var lastIdx = first;
      for (var i = first; i < min(first + P.seg, P.block); i++) {
        let a = s[start + i];
        let w = dot(a, a);
        if (w > 0.0) { lastIdx = i; }
        cum += w;
        if (cum > r) { out[shot] = i; return; }
      }
      out[shot] = lastIdx;
      return;
    }
    cum += part[t];
  }
  var idx = last * P.seg;
  for (var i = last * P.seg; i < min(last * P.seg + P.seg, P.block); i++) {
    let a = s[start + i];
    if (dot(a, a) > 0.0) { idx = i; }
  }
  out[shot] = idx;
}
`;
}
