#!/usr/bin/env python3
"""Deliberately broken conformance shims, for the runner's own tests.

broken_shim.py MODE [STATE_FILE REAL_SHIM_COMMAND]
  yes          answers {"status": "OK"} to everything
  crash        exits on the first case of every start
  no-start     exits before the handshake
  crash-once   crashes on the first case, then (after the restart) forwards to REAL_SHIM_COMMAND
  hang-once    stops answering on the first case, then forwards
  garbage-once prints a line that is not JSON on the first case, then forwards
"once" is remembered in STATE_FILE, so the restarted shim behaves.
"""
import json, os, shlex, subprocess, sys, time

mode = sys.argv[1]
if mode == "no-start":
    sys.exit(4)
real = None
if mode.endswith("-once"):
    state, command = sys.argv[2], sys.argv[3]
    real = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

for line in sys.stdin:
    request = json.loads(line)
    if request["op"] != "hello":
        if mode == "crash":
            sys.exit(3)
        if real and not os.path.exists(state):
            open(state, "w").close()
            if mode == "crash-once":
                os._exit(3)
            if mode == "hang-once":
                time.sleep(3600)
            if mode == "garbage-once":
                print("this is not JSON \x1b[31m" + "x" * 500, flush=True)
                continue
    if real:
        real.stdin.write(line if line.endswith("\n") else line + "\n")
        real.stdin.flush()
        print(real.stdout.readline().rstrip("\n"), flush=True)
    elif request["op"] == "hello":
        print(json.dumps({"id": request["id"], "status": "OK", "protocol": 1, "name": "broken-" + mode}), flush=True)
    else:
        print(json.dumps({"id": request["id"], "status": "OK"}), flush=True)
