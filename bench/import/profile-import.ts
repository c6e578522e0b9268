/**
 * Profiling aid: a smaller import bench in-process, for `node --cpu-prof --import tsx`.
 *   BENCH_RESIDENTS=100000 DATABASE_URL=… node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/import/profile-import.ts
 */
import './import.bench.js'
