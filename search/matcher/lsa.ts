// Latent semantic analysis without a library: a truncated SVD of the (documents × terms) TF-IDF
// matrix by randomised range finding (Halko, Martinsson & Tropp 2011) with power iterations.
// Terms that occur in the same documents get nearby vectors, so two texts that share no word but
// share a topic (and, through concept tokens, a topic in two languages) come out close.
// Pure: typed arrays in, typed arrays out; a seeded generator keeps a fit reproducible.

/** A sparse row-major matrix: row r holds cols[ptr[r]..ptr[r+1]) with values vals[...]. */
export interface SparseRows {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

/** Deterministic PRNG (mulberry32) so the same texts give the same model. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Y (rows × l) = A · M, with M (cols × l) dense, row-major. */
function multiply(a: SparseRows, m: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const out = r * l;
    for (let p = a.ptr[r]!; p < a.ptr[r + 1]!; p++) {
      const v = a.val[p]!;
      const src = a.idx[p]! * l;
      for (let j = 0; j < l; j++) y[out + j]! += v * m[src + j]!;
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ · Y, with Y (rows × l) dense. */
function multiplyTransposed(a: SparseRows, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const src = r * l;
    for (let p = a.ptr[r]!; p < a.ptr[r + 1]!; p++) {
      const v = a.val[p]!;
      const out = a.idx[p]! * l;
      for (let j = 0; j < l; j++) z[out + j]! += v * y[src + j]!;
    }
  }
  return z;
}

/** Orthonormalises the columns of a (n × l) row-major matrix in place (modified Gram–Schmidt). */
function orthonormalize(q: Float64Array, n: number, l: number): void {
  // Work column-major for locality, then write back.
  const cols: Float64Array[] = [];
  for (let j = 0; j < l; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = q[i * l + j]!;
    for (const prev of cols) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += prev[i]! * c[i]!;
      for (let i = 0; i < n; i++) c[i]! -= dot * prev[i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += c[i]! * c[i]!;
    norm = Math.sqrt(norm);
    if (norm > 1e-10) for (let i = 0; i < n; i++) c[i]! /= norm;
    else c.fill(0);
    cols.push(c);
  }
  for (let j = 0; j < l; j++) {
    const c = cols[j]!;
    for (let i = 0; i < n; i++) q[i * l + j] = c[i]!;
  }
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): values descending. */
export function symmetricEigen(s: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(n).keys()].sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

export interface TruncatedSvd {
  k: number;
  /** Singular values, descending. */
  sigma: Float64Array;
  /** Right singular vectors, (cols × k) row-major: one row per term. */
  v: Float32Array;
}

/**
 * The top-k right singular vectors of A. Oversampling and two power iterations make the
 * randomised estimate close to the exact one for TF-IDF matrices, whose spectrum decays slowly.
 */
export function truncatedSvd(a: SparseRows, k: number, options: { oversample?: number; powerIterations?: number; seed?: number } = {}): TruncatedSvd {
  const l = Math.max(1, Math.min(k + (options.oversample ?? 10), a.rows, a.cols));
  const random = seededRandom(options.seed ?? 1);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(random);
  let y = multiply(a, omega, l);
  orthonormalize(y, a.rows, l);
  for (let it = 0; it < (options.powerIterations ?? 2); it++) {
    const z = multiplyTransposed(a, y, l);
    orthonormalize(z, a.cols, l);
    y = multiply(a, z, l);
    orthonormalize(y, a.rows, l);
  }
  // B = Qᵀ A is (l × cols); stored transposed as Bt (cols × l) = Aᵀ Q.
  const bt = multiplyTransposed(a, y, l);
  // B Bᵀ = Btᵀ Bt (l × l): its eigenvectors are B's left singular vectors.
  const gram = new Float64Array(l * l);
  for (let r = 0; r < a.cols; r++) {
    const row = r * l;
    for (let i = 0; i < l; i++) {
      const bi = bt[row + i]!;
      if (bi === 0) continue;
      for (let j = i; j < l; j++) gram[i * l + j]! += bi * bt[row + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i * l + j] = gram[j * l + i]!;
  const { values, vectors } = symmetricEigen(gram, l);
  const kk = Math.min(k, l);
  const sigma = new Float64Array(kk);
  for (let i = 0; i < kk; i++) sigma[i] = Math.sqrt(Math.max(0, values[i]!));
  // V = Bᵀ U Σ⁻¹ (cols × k).
  const v = new Float32Array(a.cols * kk);
  for (let r = 0; r < a.cols; r++) {
    for (let j = 0; j < kk; j++) {
      if (sigma[j]! < 1e-9) continue;
      let sum = 0;
      for (let i = 0; i < l; i++) sum += bt[r * l + i]! * vectors[i * l + j]!;
      v[r * kk + j] = sum / sigma[j]!;
    }
  }
  return { k: kk, sigma, v };
}
