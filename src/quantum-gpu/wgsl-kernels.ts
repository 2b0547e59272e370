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
/** Qubits below this are fused inside workgroup memory by the tile kernel (2^TILE_QUBITS amplitudes per group). */
export const TILE_QUBITS = 11;
/** Gates one tile pass holds at most (their 2×2 or 4×4 matrices live in a uniform buffer). */
export const MAX_TILE_GATES = 96;

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
 * Gates on qubits below P.tq (≤ TILE_QUBITS), all in one pass: a workgroup loads 2^tq consecutive amplitudes into
 * workgroup memory, applies the listed 1- and 2-qubit matrices in order (a barrier between gates) and writes back.
 * G[g] = (kind, q0, q1, matrix offset in vec4s): kind 1 = one qubit (2×2), kind 2 = two qubits (4×4, bit 0 ↔ q0).
 */
export function tileWgsl(): string {
  const size = 1 << TILE_QUBITS;
  return /* wgsl */ `
struct Params { count: u32, wgx: u32, ngates: u32, tq: u32 };
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<uniform> G: array<vec4<u32>, ${MAX_TILE_GATES}>;
@group(0) @binding(2) var<uniform> M: array<vec4<f32>, ${MAX_TILE_GATES * 8}>;
@group(0) @binding(3) var<storage, read_write> s: array<vec2<f32>>;
var<workgroup> w: array<vec2<f32>, ${size}>;
${COMMON}
fn mel(i: u32) -> vec2<f32> {
  let v = M[i >> 1u];
  return select(v.xy, v.zw, (i & 1u) == 1u);
}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) li: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>,
        @builtin(num_workgroups) nw: vec3<u32>) {
  let tile = wg.x + wg.y * nw.x;
  if (tile >= P.count) { return; }
  let size = 1u << P.tq;
  let start = tile * size;
  for (var i = li.x; i < size; i += ${WG}u) { w[i] = s[start + i]; }
  workgroupBarrier();
  for (var gi = 0u; gi < P.ngates; gi++) {
    let d = G[gi];
    let mo = d.w * 2u;
    if (d.x == 1u) {
      let p = d.y;
      for (var t = li.x; t < (size >> 1u); t += ${WG}u) {
        let lo = t & ((1u << p) - 1u);
        let i0 = ((t ^ lo) << 1u) | lo;
        let i1 = i0 | (1u << p);
        let a0 = w[i0];
        let a1 = w[i1];
        w[i0] = cmul(mel(mo), a0) + cmul(mel(mo + 1u), a1);
        w[i1] = cmul(mel(mo + 2u), a0) + cmul(mel(mo + 3u), a1);
      }
    } else {
      let p0 = min(d.y, d.z);
      let p1 = max(d.y, d.z);
      for (var t = li.x; t < (size >> 2u); t += ${WG}u) {
        let lo0 = t & ((1u << p0) - 1u);
        var b = ((t ^ lo0) << 1u) | lo0;
        let lo1 = b & ((1u << p1) - 1u);
        b = ((b ^ lo1) << 1u) | lo1;
        let o1 = 1u << d.y;
        let o2 = 1u << d.z;
        var a: array<vec2<f32>, 4>;
        a[0] = w[b]; a[1] = w[b | o1]; a[2] = w[b | o2]; a[3] = w[b | o1 | o2];
        var r: array<vec2<f32>, 4>;
        for (var row = 0u; row < 4u; row++) {
          r[row] = cmul(mel(mo + row * 4u), a[0]) + cmul(mel(mo + row * 4u + 1u), a[1])
                 + cmul(mel(mo + row * 4u + 2u), a[2]) + cmul(mel(mo + row * 4u + 3u), a[3]);
        }
        w[b] = r[0]; w[b | o1] = r[1]; w[b | o2] = r[2]; w[b | o1 | o2] = r[3];
      }
    }
    workgroupBarrier();
  }
  for (var i = li.x; i < size; i += ${WG}u) { s[start + i] = w[i]; }
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
