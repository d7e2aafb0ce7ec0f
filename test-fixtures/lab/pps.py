#!/usr/bin/env python3
"""Samples an interface's tx packet counter until told to stop, then reports the send rate.

pps.py IFACE OUTFILE    (stop it with SIGTERM; it writes "mean_pps best_1s_pps packets active_s" to OUTFILE)

"Active" is the time during which the counter moved, so start-up and end-of-scan waits do not
dilute the rate (the method of research/scanner-anchors.md §B.9). Sampling every 20 ms.
"""
import signal
import sys
import time

iface, outfile = sys.argv[1], sys.argv[2]
path = "/sys/class/net/%s/statistics/tx_packets" % iface
samples = []
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
ready = outfile + ".ready"
while running:
    with open(path) as f:
        samples.append((time.monotonic(), int(f.read())))
    if ready:  # the caller starts the measured command only once sampling runs (see bench.sh measure)
        open(ready, "w").close()
        ready = None
    time.sleep(0.02)

moving = [i for i in range(1, len(samples)) if samples[i][1] > samples[i - 1][1]]
if not moving:
    result = "0 0 0 0"
else:
    first, last = moving[0] - 1, moving[-1]
    packets = samples[last][1] - samples[first][1]
    active = samples[last][0] - samples[first][0]
    best = 0
    j = first
    for i in range(first, last + 1):
        while samples[i][0] - samples[j][0] > 1.0:
            j += 1
        span = samples[i][0] - samples[j][0]
        if span >= 0.5:
            best = max(best, (samples[i][1] - samples[j][1]) / span)
    mean = packets / active if active > 0 else 0
    result = "%d %d %d %.3f" % (mean, best if best else mean, packets, active)
with open(outfile, "w") as f:
    f.write(result + "\n")
