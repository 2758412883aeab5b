-- wrk's report of one run: percentiles (p95 is not in wrk's own --latency table), requests, errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("p50 %.1f ms · p95 %.1f ms · p99 %.1f ms · %d requests (%.0f/s) · %d errors\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.requests / (summary.duration / 1e6), errors))
end
