// Hash join: the build + probe that gives each left row its run of matching right rows, and the
// expansion of those runs into the left/right row-index pairs of the output, in pandas' order.
//
// jaxframes_join_build_probe(left words u64[n_l], right words u64[n_r], live_l, live_r)
//   -> lo s64[n_l], cnt s64[n_l], rperm s64[n_r]
//   rperm holds the live right rows grouped by key (groups contiguous, rows of one group in their
//   original order), then the dead right rows in order. A live left row's matches are
//   rperm[lo, lo + cnt) (cnt 0: none); dead left rows get cnt 0. Keys are compared as words
//   (join keys are packed to one u64 per row by joins/keys.py, equal exactly where keys are).
//   Three ways to build, chosen from the data:
//   - direct: the largest live right word is small (range-compressed ints, dictionary codes,
//     ranked multi-key words): a counting pass over the word values, no hashing;
//   - hash: open addressing (linear probing) on a 64-bit mixer of the word;
//   - radix-partitioned hash (large build sides): rows are scattered into 2^b partitions by the
//     top bits of their hash (stable), each partition builds its own cache-sized table on its
//     own thread (no locks), and a probe looks only in its key's partition.
//   The probe runs over the shared thread pool in chunks of left rows.
//
// jaxframes_join_expand(counts s64[U], units s64[U], lo s64[n_l], cnt s64[n_l], rperm s64[n_r])
//   -> left s64[cap], right s64[cap]
//   Units are in output order: unit u < n_l is left row u, expanded to counts[u] output rows
//   (its matches in rperm order, or one row with no right partner when it has none), a unit
//   u >= n_l is the unmatched right row u - n_l (one row, no left partner). Positions past the
//   total are -1. A chunked prefix sum gives each unit's first output row; chunks fill in
//   parallel.
//
// jaxframes_join_semi(words u64[n], build words u64[m], live bool[n], build live bool[m])
//   -> hit bool[n]: the live rows whose word some live build row has (a semi-join's filter, the
//   narrowing of a join's much larger side). Build: a byte per word value when the largest live
//   build word is small, else an open-addressing set; the probe runs in parallel chunks. One
//   byte out per row, where build_probe would write lo, cnt and rperm.
//
// jaxframes_join_lookup(left words u64|s64[n_l], right words (same dtype)[n_r], live_l, live_r)
//   -> match s64[n_l], facts s64[5]: the join of a right side whose live keys are unique (each
//   left row has at most one partner: what a lookup of a dimension table is). match[i] is the
//   right row whose key is left row i's, -1 when there is none or row i is dead. facts =
//   [duplicate, matched, live left rows, live right rows, live left rows are a prefix]:
//   duplicate 1 when two live right rows share a key; then the build stops and match is NOT
//   written (the caller takes the general path). One pass builds, one probes; nothing else.
//   Words are compared as bits (an int64 key without nulls goes as it is, no packed copy).
//
// jaxframes_join_matched_pairs(match s64[n_l]) -> left s64[cap], right s64[cap]: the rows
//   with a partner (match >= 0) in order, compacted: left[k] = the k-th such row, right[k] =
//   its match; positions past their count -1 (an inner lookup join's indexers).
//
// Every output of 4 MiB or more is marked for huge pages first (pages.h).
//
// The pure-JAX twin (sort-merge: radix argsort + searchsorted, jnp.repeat expansion) lives in
// jaxframes/joins/indexers.py and jaxframes/kernels/join.py; it is the GPU/TPU path and the test
// reference. Both kernels are functions of their local arrays only (no state between calls).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "ffi_guard.h"
#include "kernels.h"
#include "pages.h"
#include "thread_pool.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int64_t kParallelMinN = 1 << 16;          // below: one task
constexpr int64_t kMaxTasks = 16;
constexpr int64_t kPartitionMinBuild = 1 << 18;     // build sides at least this large are partitioned
constexpr int64_t kRowsPerPartition = 1 << 14;      // ~ a table of 32k slots (512 KiB) per partition
constexpr int kMaxPartitionBits = 10;

inline uint64_t Mix(uint64_t x) {  // splitmix64's finalizer: every input bit reaches every output bit
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

int64_t Tasks(int64_t n) { return jaxframes::TasksFor(n, kParallelMinN, kMaxTasks); }

// Where each task's output starts: chunk t of [0, n) counts its rows with ``count(begin, end)``,
// and a prefix sum turns the counts into offsets (first[tasks] is the total, checked against cap).
template <typename Count>
std::vector<int64_t> ChunkOffsets(int64_t n, int64_t tasks, int64_t cap, Count count) {
  std::vector<int64_t> first(tasks + 1, 0);
  jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) { first[t + 1] = count(begin, end); });
  for (int64_t t = 0; t < tasks; ++t) first[t + 1] += first[t];
  jaxframes::Require(first[tasks] <= cap, "the output has more rows than its capacity");
  return first;
}

// One open-addressing table over a list of right rows (in their original order): distinct keys
// get local group ids in first-appearance order; rows of a group are laid out contiguously.
struct Table {
  std::vector<uint64_t> keys;
  std::vector<int32_t> group;  // -1: empty slot
  std::vector<int64_t> start;  // per group: offset of its first row in the partition's layout
  std::vector<int64_t> count;  // per group: rows
  uint64_t mask = 0;
  int64_t offset = 0;          // the partition's first position in rperm

  void Build(const uint64_t* words, const int64_t* rows, int64_t n, int64_t* layout) {
    int64_t slots = 16;
    while (slots < 2 * n) slots <<= 1;
    keys.assign(slots, 0);
    group.assign(slots, -1);
    mask = static_cast<uint64_t>(slots - 1);
    std::vector<int32_t> row_group(n);
    for (int64_t i = 0; i < n; ++i) {
      const uint64_t w = words[rows[i]];
      uint64_t s = Mix(w) & mask;
      while (group[s] >= 0 && keys[s] != w) s = (s + 1) & mask;
      if (group[s] < 0) {
        keys[s] = w;
        group[s] = static_cast<int32_t>(count.size());
        count.push_back(0);
      }
      row_group[i] = group[s];
      ++count[group[s]];
    }
    start.assign(count.size(), 0);
    int64_t at = 0;
    for (size_t g = 0; g < count.size(); ++g) {
      start[g] = at;
      at += count[g];
    }
    std::vector<int64_t> fill(start);
    for (int64_t i = 0; i < n; ++i) layout[fill[row_group[i]]++] = rows[i];
  }

  // (lo, cnt) of a word, lo relative to rperm; cnt 0 when absent.
  inline void Find(uint64_t w, uint64_t hash, int64_t* lo, int64_t* cnt) const {
    uint64_t s = hash & mask;
    while (group[s] >= 0) {
      if (keys[s] == w) {
        *lo = offset + start[group[s]];
        *cnt = count[group[s]];
        return;
      }
      s = (s + 1) & mask;
    }
    *lo = 0;
    *cnt = 0;
  }
};

void BuildProbe(ffi::Buffer<ffi::U64> lw, ffi::Buffer<ffi::U64> rw, ffi::Buffer<ffi::PRED> live_l,
                ffi::Buffer<ffi::PRED> live_r, ffi::ResultBuffer<ffi::S64> lo_out,
                ffi::ResultBuffer<ffi::S64> cnt_out, ffi::ResultBuffer<ffi::S64> rperm_out) {
  const int64_t n_l = static_cast<int64_t>(lw.element_count());
  const int64_t n_r = static_cast<int64_t>(rw.element_count());
  jaxframes::Require(live_l.element_count() == lw.element_count() && live_r.element_count() == rw.element_count(),
                     "live masks must have one entry per row");
  jaxframes::Require(lo_out->element_count() == lw.element_count() && cnt_out->element_count() == lw.element_count()
                         && rperm_out->element_count() == rw.element_count(),
                     "outputs: lo and cnt per left row, rperm per right row");
  const uint64_t* l = lw.typed_data();
  const uint64_t* r = rw.typed_data();
  const bool* ll = live_l.typed_data();
  const bool* lr = live_r.typed_data();
  int64_t* lo = lo_out->typed_data();
  int64_t* cnt = cnt_out->typed_data();
  int64_t* rperm = rperm_out->typed_data();
  jaxframes::AdviseHugePages(lo, lo_out->size_bytes());
  jaxframes::AdviseHugePages(cnt, cnt_out->size_bytes());
  jaxframes::AdviseHugePages(rperm, rperm_out->size_bytes());

  // Live right rows first (in order), dead ones after them: rperm's tail.
  int64_t n_live = 0;
  uint64_t top = 0;
  for (int64_t i = 0; i < n_r; ++i) {
    if (lr[i]) {
      ++n_live;
      top = std::max(top, r[i]);
    }
  }
  {
    int64_t back = n_live;
    for (int64_t i = 0; i < n_r; ++i) {
      if (!lr[i]) rperm[back++] = i;
    }
  }
  const int64_t probe_tasks = Tasks(n_l);

  if (n_live == 0) {
    std::fill(lo, lo + n_l, 0);
    std::fill(cnt, cnt + n_l, 0);
    return;
  }

  // Direct addressing: word values index a table of run starts.
  if (top <= static_cast<uint64_t>(4 * n_live + (1 << 16))) {
    std::vector<int64_t> start(top + 2, 0);
    for (int64_t i = 0; i < n_r; ++i) {
      if (lr[i]) ++start[r[i] + 1];
    }
    for (uint64_t v = 1; v <= top + 1; ++v) start[v] += start[v - 1];
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (int64_t i = 0; i < n_r; ++i) {
      if (lr[i]) rperm[fill[r[i]]++] = i;
    }
    jaxframes::ParallelChunks(n_l, probe_tasks, [&](int64_t, int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const uint64_t v = l[i];
        if (!ll[i] || v > top) {
          lo[i] = cnt[i] = 0;
        } else {
          lo[i] = start[v];
          cnt[i] = start[v + 1] - start[v];
        }
      }
    });
    return;
  }

  // Hash: 2^bits partitions by the top bits of the hash (bits 0: one table).
  int bits = 0;
  if (n_live >= kPartitionMinBuild) {
    while (bits < kMaxPartitionBits && (n_live >> bits) > kRowsPerPartition) ++bits;
  }
  const int64_t parts = int64_t{1} << bits;
  const int shift = 64 - bits;
  auto part_of = [&](uint64_t hash) -> int64_t { return bits ? static_cast<int64_t>(hash >> shift) : 0; };

  // Stable scatter of live right rows into partitions: per-task histograms, then offsets.
  const int64_t build_tasks = parts > 1 ? Tasks(n_r) : 1;
  std::vector<int64_t> hist(build_tasks * parts, 0);
  jaxframes::ParallelChunks(n_r, build_tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t* h = &hist[t * parts];
    for (int64_t i = begin; i < end; ++i) {
      if (lr[i]) ++h[part_of(Mix(r[i]))];
    }
  });
  std::vector<int64_t> part_start(parts + 1, 0);
  {
    int64_t at = 0;
    for (int64_t p = 0; p < parts; ++p) {
      part_start[p] = at;
      for (int64_t t = 0; t < build_tasks; ++t) {
        const int64_t c = hist[t * parts + p];
        hist[t * parts + p] = at;
        at += c;
      }
    }
    part_start[parts] = at;
  }
  std::vector<int64_t> scattered(n_live);
  jaxframes::ParallelChunks(n_r, build_tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t* h = &hist[t * parts];
    for (int64_t i = begin; i < end; ++i) {
      if (lr[i]) scattered[h[part_of(Mix(r[i]))]++] = i;
    }
  });

  // Each partition builds its table and lays out its rows in its slice of rperm.
  std::vector<Table> tables(parts);
  jaxframes::ParallelFor(parts, [&](int64_t p) {
    tables[p].offset = part_start[p];
    tables[p].Build(r, scattered.data() + part_start[p], part_start[p + 1] - part_start[p],
                    rperm + part_start[p]);
  });

  jaxframes::ParallelChunks(n_l, probe_tasks, [&](int64_t, int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      if (!ll[i]) {
        lo[i] = cnt[i] = 0;
        continue;
      }
      const uint64_t hash = Mix(l[i]);
      tables[part_of(hash)].Find(l[i], hash, &lo[i], &cnt[i]);
    }
  });
}

void Expand(ffi::Buffer<ffi::S64> counts_in, ffi::Buffer<ffi::S64> units_in, ffi::Buffer<ffi::S64> lo_in,
            ffi::Buffer<ffi::S64> cnt_in, ffi::Buffer<ffi::S64> rperm_in, ffi::ResultBuffer<ffi::S64> left_out,
            ffi::ResultBuffer<ffi::S64> right_out) {
  const int64_t n_units = static_cast<int64_t>(counts_in.element_count());
  const int64_t n_l = static_cast<int64_t>(lo_in.element_count());
  const int64_t n_r = static_cast<int64_t>(rperm_in.element_count());
  const int64_t cap = static_cast<int64_t>(left_out->element_count());
  jaxframes::Require(units_in.element_count() == counts_in.element_count(), "units and counts differ in length");
  jaxframes::Require(cnt_in.element_count() == lo_in.element_count(), "lo and cnt differ in length");
  jaxframes::Require(right_out->element_count() == left_out->element_count(), "outputs differ in length");
  const int64_t* counts = counts_in.typed_data();
  const int64_t* units = units_in.typed_data();
  const int64_t* lo = lo_in.typed_data();
  const int64_t* cnt = cnt_in.typed_data();
  const int64_t* rperm = rperm_in.typed_data();
  int64_t* li = left_out->typed_data();
  int64_t* ri = right_out->typed_data();
  jaxframes::AdviseHugePages(li, left_out->size_bytes());
  jaxframes::AdviseHugePages(ri, right_out->size_bytes());

  const int64_t tasks = Tasks(n_units);
  const std::vector<int64_t> first = ChunkOffsets(n_units, tasks, cap, [&](int64_t begin, int64_t end) {
    int64_t s = 0;
    for (int64_t u = begin; u < end; ++u) s += counts[u];
    return s;
  });
  const int64_t total = first[tasks];
  std::vector<int> bad(tasks, 0);
  jaxframes::ParallelChunks(n_units, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t at = first[t];
    for (int64_t u = begin; u < end; ++u) {
      const int64_t c = counts[u];
      if (c <= 0) continue;
      const int64_t unit = units[u];
      if (unit < 0 || unit >= n_l + n_r) {
        bad[t] = 1;
        return;
      }
      if (unit >= n_l) {  // an unmatched right row
        li[at] = -1;
        ri[at] = unit - n_l;
        ++at;
        continue;
      }
      const int64_t k = cnt[unit];
      if (k <= 0) {  // a left row without partner (left/outer joins count it once)
        li[at] = unit;
        ri[at] = -1;
        ++at;
        continue;
      }
      if (c > k || lo[unit] < 0 || lo[unit] + c > n_r) {
        bad[t] = 1;
        return;
      }
      const int64_t* run = rperm + lo[unit];
      for (int64_t j = 0; j < c; ++j) {
        li[at + j] = unit;
        ri[at + j] = run[j];
      }
      at += c;
    }
  });
  for (int b : bad) jaxframes::Require(b == 0, "a unit or its run lies outside the inputs");
  jaxframes::ParallelChunks(cap - total, Tasks(cap - total), [&](int64_t, int64_t begin, int64_t end) {
    std::fill(li + total + begin, li + total + end, -1);
    std::fill(ri + total + begin, ri + total + end, -1);
  });
}

// Words are uint64, or int64 read as their bits (a null-free int64 key: equality is all a semi-join
// tests, so the key needs no packed copy).
void Semi(ffi::AnyBuffer pw, ffi::AnyBuffer bw, ffi::Buffer<ffi::PRED> live_p,
          ffi::Buffer<ffi::PRED> live_b, ffi::ResultBuffer<ffi::PRED> hit_out) {
  const int64_t n = static_cast<int64_t>(pw.element_count());
  const int64_t m = static_cast<int64_t>(bw.element_count());
  for (const ffi::AnyBuffer* w : {&pw, &bw}) {
    jaxframes::Require(w->element_type() == ffi::U64 || w->element_type() == ffi::S64, "words must be uint64 or int64");
  }
  jaxframes::Require(live_p.element_count() == pw.element_count() && live_b.element_count() == bw.element_count(),
                     "live masks must have one entry per row");
  jaxframes::Require(hit_out->element_count() == pw.element_count(), "one output per probe row");
  const uint64_t* p = static_cast<const uint64_t*>(pw.untyped_data());
  const uint64_t* b = static_cast<const uint64_t*>(bw.untyped_data());
  const bool* lp = live_p.typed_data();
  const bool* lb = live_b.typed_data();
  bool* hit = hit_out->typed_data();
  jaxframes::AdviseHugePages(hit, hit_out->size_bytes());
  int64_t n_live = 0;
  uint64_t top = 0;
  for (int64_t i = 0; i < m; ++i) {
    if (lb[i]) {
      ++n_live;
      top = std::max(top, b[i]);
    }
  }
  const int64_t tasks = Tasks(n);
  if (n_live == 0) {
    std::fill(hit, hit + n, false);
    return;
  }
  if (top <= static_cast<uint64_t>(4 * n_live + (1 << 16))) {  // direct: one byte per word value
    std::vector<uint8_t> present(top + 1, 0);
    for (int64_t i = 0; i < m; ++i) {
      if (lb[i]) present[b[i]] = 1;
    }
    jaxframes::ParallelChunks(n, tasks, [&](int64_t, int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) hit[i] = lp[i] && p[i] <= top && present[p[i]] != 0;
    });
    return;
  }
  int64_t slots = 16;
  while (slots < 2 * n_live) slots <<= 1;
  const uint64_t mask = static_cast<uint64_t>(slots - 1);
  std::vector<uint64_t> keys(slots, 0);
  std::vector<uint8_t> used(slots, 0);
  for (int64_t i = 0; i < m; ++i) {
    if (!lb[i]) continue;
    uint64_t s = Mix(b[i]) & mask;
    while (used[s] && keys[s] != b[i]) s = (s + 1) & mask;
    used[s] = 1;
    keys[s] = b[i];
  }
  jaxframes::ParallelChunks(n, tasks, [&](int64_t, int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      bool found = false;
      if (lp[i]) {
        const uint64_t w = p[i];
        uint64_t s = Mix(w) & mask;
        while (used[s]) {
          if (keys[s] == w) {
            found = true;
            break;
          }
          s = (s + 1) & mask;
        }
      }
      hit[i] = found;
    }
  });
}

// A unique-key build: key -> right row, or a duplicate found (then it stops).
void Lookup(ffi::AnyBuffer lw, ffi::AnyBuffer rw, ffi::Buffer<ffi::PRED> live_l, ffi::Buffer<ffi::PRED> live_r,
            ffi::ResultBuffer<ffi::S64> match_out, ffi::ResultBuffer<ffi::S64> facts_out) {
  const int64_t n_l = static_cast<int64_t>(lw.element_count());
  const int64_t n_r = static_cast<int64_t>(rw.element_count());
  for (const ffi::AnyBuffer* w : {&lw, &rw}) {
    jaxframes::Require(w->element_type() == ffi::U64 || w->element_type() == ffi::S64, "words must be uint64 or int64");
  }
  jaxframes::Require(lw.element_type() == rw.element_type(), "left and right words differ in dtype");
  jaxframes::Require(live_l.element_count() == lw.element_count() && live_r.element_count() == rw.element_count(),
                     "live masks must have one entry per row");
  jaxframes::Require(match_out->element_count() == lw.element_count(), "one match per left row");
  jaxframes::Require(facts_out->element_count() == 5, "five facts");
  const uint64_t* l = static_cast<const uint64_t*>(lw.untyped_data());
  const uint64_t* r = static_cast<const uint64_t*>(rw.untyped_data());
  const bool* ll = live_l.typed_data();
  const bool* lr = live_r.typed_data();
  int64_t* match = match_out->typed_data();
  int64_t* facts = facts_out->typed_data();
  std::fill(facts, facts + 5, 0);

  int64_t n_live = 0;
  uint64_t top = 0;
  for (int64_t i = 0; i < n_r; ++i) {
    if (lr[i]) {
      ++n_live;
      top = std::max(top, r[i]);
    }
  }
  facts[3] = n_live;
  const bool direct = n_live > 0 && top <= static_cast<uint64_t>(4 * n_live + (1 << 16));
  std::vector<int64_t> slot_row;   // direct: row per word value, -1 none
  std::vector<uint64_t> keys;      // hash: open addressing, row -1 = empty slot
  uint64_t mask = 0;
  if (direct) {
    slot_row.assign(top + 1, -1);
    for (int64_t i = 0; i < n_r; ++i) {
      if (!lr[i]) continue;
      int64_t& at = slot_row[r[i]];
      if (at >= 0) {
        facts[0] = 1;
        return;
      }
      at = i;
    }
  } else if (n_live > 0) {
    int64_t slots = 16;
    while (slots < 2 * n_live) slots <<= 1;
    mask = static_cast<uint64_t>(slots - 1);
    keys.assign(slots, 0);
    slot_row.assign(slots, -1);
    for (int64_t i = 0; i < n_r; ++i) {
      if (!lr[i]) continue;
      uint64_t s = Mix(r[i]) & mask;
      while (slot_row[s] >= 0) {
        if (keys[s] == r[i]) {
          facts[0] = 1;
          return;
        }
        s = (s + 1) & mask;
      }
      keys[s] = r[i];
      slot_row[s] = i;
    }
  }

  jaxframes::AdviseHugePages(match, match_out->size_bytes());
  const int64_t tasks = Tasks(n_l);
  std::vector<int64_t> matched(tasks, 0), live(tasks, 0), last_live(tasks, -1);
  jaxframes::ParallelChunks(n_l, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t m = 0, v = 0, last = -1;
    for (int64_t i = begin; i < end; ++i) {
      int64_t row = -1;
      if (ll[i]) {
        ++v;
        last = i;
        const uint64_t w = l[i];
        if (direct) {
          row = w <= top ? slot_row[w] : -1;
        } else if (n_live > 0) {
          uint64_t s = Mix(w) & mask;
          while (slot_row[s] >= 0) {
            if (keys[s] == w) {
              row = slot_row[s];
              break;
            }
            s = (s + 1) & mask;
          }
        }
        m += row >= 0;
      }
      match[i] = row;
    }
    matched[t] = m;
    live[t] = v;
    last_live[t] = last;
  });
  int64_t n_matched = 0, n_live_l = 0, last = -1;
  for (int64_t t = 0; t < tasks; ++t) {
    n_matched += matched[t];
    n_live_l += live[t];
    last = std::max(last, last_live[t]);
  }
  facts[1] = n_matched;
  facts[2] = n_live_l;
  facts[4] = last == n_live_l - 1 ? 1 : 0;  // the live rows are positions 0 .. n_live_l - 1
}

void MatchedPairs(ffi::Buffer<ffi::S64> match_in, ffi::ResultBuffer<ffi::S64> left_out,
                  ffi::ResultBuffer<ffi::S64> right_out) {
  const int64_t n = static_cast<int64_t>(match_in.element_count());
  const int64_t cap = static_cast<int64_t>(left_out->element_count());
  jaxframes::Require(right_out->element_count() == left_out->element_count(), "outputs differ in length");
  const int64_t* match = match_in.typed_data();
  int64_t* li = left_out->typed_data();
  int64_t* ri = right_out->typed_data();
  jaxframes::AdviseHugePages(li, left_out->size_bytes());
  jaxframes::AdviseHugePages(ri, right_out->size_bytes());
  const int64_t tasks = Tasks(n);
  const std::vector<int64_t> first = ChunkOffsets(n, tasks, cap, [&](int64_t begin, int64_t end) {
    int64_t c = 0;
    for (int64_t i = begin; i < end; ++i) c += match[i] >= 0;
    return c;
  });
  const int64_t total = first[tasks];
  jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t at = first[t];
    for (int64_t i = begin; i < end; ++i) {
      if (match[i] < 0) continue;
      li[at] = i;
      ri[at] = match[i];
      ++at;
    }
  });
  jaxframes::ParallelChunks(cap - total, Tasks(cap - total), [&](int64_t, int64_t begin, int64_t end) {
    std::fill(li + total + begin, li + total + end, -1);
    std::fill(ri + total + begin, ri + total + end, -1);
  });
}

ffi::Error BuildProbeImpl(ffi::Buffer<ffi::U64> lw, ffi::Buffer<ffi::U64> rw, ffi::Buffer<ffi::PRED> live_l,
                          ffi::Buffer<ffi::PRED> live_r, ffi::ResultBuffer<ffi::S64> lo,
                          ffi::ResultBuffer<ffi::S64> cnt, ffi::ResultBuffer<ffi::S64> rperm) {
  return jaxframes::Guarded("join_build_probe", [&] { BuildProbe(lw, rw, live_l, live_r, lo, cnt, rperm); });
}

ffi::Error SemiImpl(ffi::AnyBuffer pw, ffi::AnyBuffer bw, ffi::Buffer<ffi::PRED> live_p,
                    ffi::Buffer<ffi::PRED> live_b, ffi::ResultBuffer<ffi::PRED> hit) {
  return jaxframes::Guarded("join_semi", [&] { Semi(pw, bw, live_p, live_b, hit); });
}

ffi::Error ExpandImpl(ffi::Buffer<ffi::S64> counts, ffi::Buffer<ffi::S64> units, ffi::Buffer<ffi::S64> lo,
                      ffi::Buffer<ffi::S64> cnt, ffi::Buffer<ffi::S64> rperm, ffi::ResultBuffer<ffi::S64> left,
                      ffi::ResultBuffer<ffi::S64> right) {
  return jaxframes::Guarded("join_expand", [&] { Expand(counts, units, lo, cnt, rperm, left, right); });
}

ffi::Error LookupImpl(ffi::AnyBuffer lw, ffi::AnyBuffer rw, ffi::Buffer<ffi::PRED> live_l,
                      ffi::Buffer<ffi::PRED> live_r, ffi::ResultBuffer<ffi::S64> match,
                      ffi::ResultBuffer<ffi::S64> facts) {
  return jaxframes::Guarded("join_lookup", [&] { Lookup(lw, rw, live_l, live_r, match, facts); });
}

ffi::Error MatchedPairsImpl(ffi::Buffer<ffi::S64> match, ffi::ResultBuffer<ffi::S64> left,
                            ffi::ResultBuffer<ffi::S64> right) {
  return jaxframes::Guarded("join_matched_pairs", [&] { MatchedPairs(match, left, right); });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfJoinLookup, LookupImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfJoinMatchedPairs, MatchedPairsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfJoinBuildProbe, BuildProbeImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::U64>>()
                                  .Arg<ffi::Buffer<ffi::U64>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfJoinExpand, ExpandImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfJoinSemi, SemiImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::PRED>>());
