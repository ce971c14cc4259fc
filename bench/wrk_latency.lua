-- wrk script of `python -m bench dashboard`: at the end of a run, print its summary as one JSON line for
-- bench/dashboard_load.py to parse. wrk's own report is meant for people and has no p95. There is no
-- `response` function on purpose: with one, wrk hands every response to Lua, and the load generator itself
-- gets slower. Responses with a status of 400 or more are counted by wrk itself (errors.status).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'wrk-summary {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "p50_us": %.0f, "p95_us": %.0f, '
      .. '"p99_us": %.0f, "mean_us": %.1f, "max_us": %.0f, "connect_errors": %.0f, "read_errors": %.0f, '
      .. '"write_errors": %.0f, "status_errors": %.0f, "timeouts": %.0f}\n',
    summary.requests,
    summary.duration,
    summary.bytes,
    latency:percentile(50),
    latency:percentile(95),
    latency:percentile(99),
    latency.mean,
    latency.max,
    errors.connect,
    errors.read,
    errors.write,
    errors.status,
    errors.timeout
  ))
end
