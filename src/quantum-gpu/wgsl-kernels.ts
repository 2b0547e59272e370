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
/** Widest tile a simulator may be asked for (2^12 amplitudes = 32 KiB, where the adapter has that much). */
export const MAX_TILE_QUBITS = 12;
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
 * Threads of a tile workgroup as log2: 2^7 = 128 by default (fewer where the tile has fewer local bits), at most
 * 2^8 = 256 (the workgroup size the device is opened with). On the H100 the depth-20 circuit at 30 qubits ran
 * 0.76 s with 128 threads per 2^11 tile, 0.80 s with 64 and 0.92 s with 256 (gpu benchmark, 2026-11-22).
 */
export const TILE_LANE_BITS = 7;
export const MAX_TILE_LANE_BITS = 8;

/**
 * Thread layout of a tile kernel for tiles of 2^t amplitudes with h chunk-selecting bits: 2^laneBits threads, each
 * owning the `per` amplitudes lane + e·2^laneBits (e < per). laneBits ≤ t − h, so a thread's own bits are local
 * bits and the buffer of its amplitude e is fixed by e alone. `record` is the vec4<u32> count of one gate in G.
 */
export function tileLayout(
  t: number,
  h: number,
  maxLaneBits = TILE_LANE_BITS,
): { laneBits: number; lanes: number; per: number; lbits: number; record: number } {
  const lbits = t - h;
  const laneBits = Math.max(0, Math.min(maxLaneBits, lbits));
  const per = 2 ** (t - laneBits);
  return { laneBits, lanes: 2 ** laneBits, per, lbits, record: 3 + Math.ceil(Math.max(1, per / 2) / 4) };
}

/** Bits of the `v`-th corner of a k-qubit group: b | o_j for each set bit j of v. */
function corner(b: string, v: number, k: number): string {
  const parts = [b];
  for (let j = 0; j < k; j++) if ((v >> j) & 1) parts.push(`o${j}`);
  return parts.join(' | ');
}

/** Group offset g of a gate (pdep of g·lanes over its positions), precomputed on the host into the gate record. */
function groupOffset(g: number): string {
  return g === 0 ? '0u' : `G[gr + ${3 + (g >> 2)}u].${'xyzw'[g & 3]}`;
}

/**
 * Workgroup-memory slot of tile index i: its low 4 bits XORed with a mask chosen by bits 4–6 (masks 0, 15, 3, 12,
 * 5, 10, 6, 9: the linear map with columns 15, 3, 5). A complex64 slot spans two of the 32 banks, so 16 threads of
 * a half-warp hit distinct banks when their slots differ mod 16. Without the swizzle a gate on tile bit p < 4 makes
 * the threads' slots collide (stride 2^(p+1)); over all 1-, 2- and 3-qubit gates of a 2^11 tile the mean
 * bank-conflict factor is 2.1 without it and 1.1 with it (searched over all linear masks of bits 4–7). The XOR
 * stays inside an aligned block of 16, so the slot is a permutation of the tile. Measured on the H100 it made tile
 * passes slower (depth-20 passes at 0.16 of copy bandwidth against 0.18 without, the 30-qubit circuit 0.72 s
 * against 0.64 s), so bank conflicts are not what bounds them; it stays as an option (tileSwizzle) for other
 * devices and the benchmark.
 */
const SWIZZLE = /* wgsl */ `
fn sw(i: u32) -> u32 { return i ^ ((0x96A5C3F0u >> ((i >> 2u) & 28u)) & 15u); }
`;

/** WGSL of a k-qubit gate case: every group of 2^k amplitudes a thread owns, loaded, multiplied and stored. */
function tileGateCase(k: number, size: number, lanes: number, swizzle: boolean): string {
  const groups = size >> k;
  const gpt = Math.max(1, groups / lanes);
  const dim = 1 << k;
  const lines: string[] = [];
  for (let j = 0; j < k; j++) lines.push(`let o${j} = 1u << d1[${j}];`);
  lines.push(`var bl = lane;`);
  for (let j = 0; j < k; j++) lines.push(`bl = ins0(bl, d1[${j}]);`);
  if (k <= 2) {
    // Small matrices stay in registers for all of the thread's groups.
    for (let e = 0; e < dim * dim; e++) lines.push(`let m${e} = M[mo + ${e}u];`);
  }
  const body: string[] = [];
  for (let g = 0; g < gpt; g++) {
    body.push(`let b${g} = bl | ${groupOffset(g)};`);
    for (let v = 0; v < dim; v++) {
      const slot = corner(`b${g}`, v, k);
      body.push(`let c${g}_${v} = ${swizzle ? `sw(${slot})` : slot};`);
      body.push(`let a${g}_${v} = w[c${g}_${v}];`);
    }
  }
  for (let g = 0; g < gpt; g++) {
    for (let r = 0; r < dim; r++) {
      const terms = Array.from({ length: dim }, (_, c) =>
        k <= 2 ? `cmul(m${r * dim + c}, a${g}_${c})` : `cmul(M[mo + ${r * dim + c}u], a${g}_${c})`,
      );
      body.push(`w[c${g}_${r}] = ${terms.join(' + ')};`);
    }
  }
  const guarded = groups < lanes ? [`if (lane < ${groups}u) {`, ...body.map((l) => `  ${l}`), '}'] : body;
  return `      case ${k}u: {\n${[...lines, ...guarded].map((l) => `        ${l}`).join('\n')}\n      }\n`;
}

/**
 * A tile pass (see gpu-pass-plan.ts): each workgroup loads the 2^t amplitudes of one tile into workgroup memory,
 * applies the pass's gates there (a barrier between gates) and writes the tile back. Tile bit j < t − h is local
 * qubit P.ins[j] (ascending; the tile number gets zero bits inserted at those positions to give the tile's base
 * index); the top h tile bits choose one of the 2^h bound chunk buffers. t and h are compiled in, and with them
 * the thread layout (tileLayout): every load, store and gate group of a thread is straight-line code with its
 * buffer and workgroup-memory slot fixed, so the loads of a thread are all in flight together and no per-element
 * index or buffer choice is computed. `kmax` (the widest gate of the pass) is compiled in because code for wider
 * gates costs registers, and registers decide how many tiles an SM holds.
 *
 * G holds `record` vec4<u32> per gate: (k, selector count, matrix offset, 0), (tile positions of the k gate
 * qubits), (selector qubits), then the gate's group offsets (tile index of the first amplitude of a thread's g-th
 * group, less its lane bits). A selector qubit lies outside the tile, so its bit is the same for the whole tile
 * (from the base index, or from P.chunk for a chunk qubit): the bits pick one of the gate's 2^s matrices of
 * 2^k × 2^k. P.eoff[e] is the local offset of a thread's amplitude e beyond its lane bits.
 */
export function tileWgsl(t: number, h: number, kmax = 3, maxLaneBits = TILE_LANE_BITS, swizzle = false): string {
  const size = 1 << t;
  const { laneBits, lanes, per, lbits, record } = tileLayout(t, h, maxLaneBits);
  const buffers = 1 << h;
  const decl: string[] = [];
  for (let b = 0; b < buffers; b++) {
    decl.push(`@group(0) @binding(${3 + b}) var<storage, read_write> s${b}: array<vec2<f32>>;`);
  }
  const eoff = (e: number): string => `P.eoff[${e >> 2}].${'xyzw'[e & 3]}`;
  const bufOf = (e: number): number => (e * lanes) >> lbits;
  const loads: string[] = [];
  const stores: string[] = [];
  const phase: string[] = [];
  const own = (e: number): string => (swizzle ? `sw(lane + ${e * lanes}u)` : `lane + ${e * lanes}u`);
  for (let e = 0; e < per; e++) {
    loads.push(`  let v${e} = s${bufOf(e)}[a | ${eoff(e)}];`);
    stores.push(`  s${bufOf(e)}[a | ${eoff(e)}] = w[${own(e)}];`);
    // A phase multiplies every slot alike: no swizzle needed.
    phase.push(`        w[lane + ${e * lanes}u] = cmul(f, w[lane + ${e * lanes}u]);`);
  }
  for (let e = 0; e < per; e++) loads.push(`  w[${own(e)}] = v${e};`);
  let cases = '';
  for (let k = 1; k <= Math.min(kmax, t); k++) cases += tileGateCase(k, size, lanes, swizzle);
  return /* wgsl */ `
struct Params {
  tiles: u32, ngates: u32, c: u32, chunk: u32,
  ins: array<vec4<u32>, 4>,
  eoff: array<vec4<u32>, ${Math.ceil(per / 4)}>,
};
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> G: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> M: array<vec2<f32>>;
${decl.join('\n')}
var<workgroup> w: array<vec2<f32>, ${size}>;
${COMMON}${swizzle ? SWIZZLE : ''}
/** x with a zero bit inserted at position p. */
fn ins0(x: u32, p: u32) -> u32 {
  let lo = x & ((1u << p) - 1u);
  return ((x ^ lo) << 1u) | lo;
}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_index) lane: u32, @builtin(workgroup_id) wg: vec3<u32>,
        @builtin(num_workgroups) nw: vec3<u32>) {
  let tile = wg.x + wg.y * nw.x;
  if (tile >= P.tiles) { return; }
  var base = tile;
  for (var j = 0u; j < ${lbits}u; j++) { base = ins0(base, P.ins[j >> 2u][j & 3u]); }
  var dl = 0u;
  for (var j = 0u; j < ${laneBits}u; j++) { dl = dl | (((lane >> j) & 1u) << P.ins[j >> 2u][j & 3u]); }
  let a = base | dl;
${loads.join('\n')}
  workgroupBarrier();
  for (var gi = 0u; gi < P.ngates; gi++) {
    let gr = ${record}u * gi;
    let d0 = G[gr];
    let d1 = G[gr + 1u];
    let d2 = G[gr + 2u];
    let k = d0.x;
    var sel = 0u;
    for (var j = 0u; j < d0.y; j++) {
      let q = d2[j];
      var bit = 0u;
      if (q < P.c) { bit = (base >> q) & 1u; } else { bit = (P.chunk >> (q - P.c)) & 1u; }
      sel = sel | (bit << j);
    }
    let mo = d0.z + sel * (1u << (2u * k));
    switch k {
${cases}      default: {
        let f = M[mo];
${phase.join('\n')}
      }
    }
    workgroupBarrier();
  }
${stores.join('\n')}
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
