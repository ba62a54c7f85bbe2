-- wrk script (tools/perf): POST one fixed JSON body with a fresh Idempotency-Key on every request,
-- so every request is a new payment or order, never an idempotent replay.
--
--   wrk -s perf/load/unique-key.lua URL -- KEY_PREFIX 'JSON BODY'
--
-- Keys are KEY_PREFIX-<thread>-<n>: unique across wrk's threads, and across runs given a fresh prefix.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  key_prefix = (args[1] or "wrk") .. "-" .. tostring(thread_id) .. "-"
  wrk.method = "POST"
  wrk.body = args[2] or "{}"
  sent = 0
end

function request()
  sent = sent + 1
  -- wrk.format's headers replace wrk.headers, so Content-Type goes with every request.
  local headers = { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key_prefix .. sent }
  return wrk.format(nil, nil, headers)
end
