#!/usr/bin/python3
"""Benchmarks for Ssmtp for Qt: print figures, compare with peers in the same run.

  tests/benchmarks/run_benchmarks.py [--build-dir build] [--count 500] [--runs 3]

1. Messages per second over one connection (1 KB messages) against the local test inbox in
   --discard mode, side by side with Python's smtplib (and nodemailer when installed).
2. Round trips per message, counted by the server (ssmtp-inbox --stats-file), with
   PIPELINING + CHUNKING, PIPELINING only, and neither.
3. Peak RSS growth while streaming a 200 MB body through setMessageStream, DATA and BDAT.
4. Peak RSS growth while sending a 200 MB attachment (random bytes, base64-encoded while it is
   sent), DATA and BDAT.
5. S/MIME signing of a 10 MB message in-process next to `openssl cms -sign` (bench_smime).
6. Messages per second over TLS, side by side with Python's smtplib over TLS to the same
   server: implicit TLS to ssmtp-inbox --discard --tls-cert (a fast sink, so the clients are
   measured), and implicit TLS and STARTTLS to npm smtp-server (which stores every message).

Every figure is printed with the command that produced it; nothing here passes or fails.
Use a Release build: a sanitizer build measures the sanitizer.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SMTPLIB_PEER = r"""
import smtplib, sys, time
port, count, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
line = "The quick brown fox jumps over the lazy dog 0123456789.\r\n"
body = (line * (size // len(line) + 1))[:size]
msg = ("From: bench@example.test\r\nTo: sink@example.test\r\nSubject: benchmark\r\n"
       "Message-ID: <bench@example.test>\r\n\r\n" + body)
s = smtplib.SMTP("127.0.0.1", port)
s.ehlo()
t = time.perf_counter()
for _ in range(count):
    s.sendmail("bench@example.test", ["sink@example.test"], msg)
dt = time.perf_counter() - t
s.quit()
print('{"messages": %d, "seconds": %f, "messagesPerSecond": %f}' % (count, dt, count / dt))
"""

SMTPLIB_TLS_PEER = r"""
import smtplib, ssl, sys, time
port, count, size, mode, ca = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
line = "The quick brown fox jumps over the lazy dog 0123456789.\r\n"
body = (line * (size // len(line) + 1))[:size]
msg = ("From: bench@example.test\r\nTo: sink@example.test\r\nSubject: benchmark\r\n"
       "Message-ID: <bench@example.test>\r\n\r\n" + body)
ctx = ssl.create_default_context(cafile=ca)
if mode == "implicit":
    s = smtplib.SMTP_SSL("localhost", port, context=ctx)
else:
    s = smtplib.SMTP("localhost", port)
    s.starttls(context=ctx)
s.ehlo()
t = time.perf_counter()
for _ in range(count):
    s.sendmail("bench@example.test", ["sink@example.test"], msg)
dt = time.perf_counter() - t
s.quit()
print('{"messages": %d, "seconds": %f, "messagesPerSecond": %f}' % (count, dt, count / dt))
"""

NODEMAILER_PEER = r"""
const nodemailer = require('nodemailer');
const [port, count, size] = process.argv.slice(1).map(Number);
const line = 'The quick brown fox jumps over the lazy dog 0123456789.\r\n';
const body = line.repeat(Math.ceil(size / line.length)).slice(0, size);
const t = nodemailer.createTransport({host: '127.0.0.1', port, secure: false, ignoreTLS: true,
                                      pool: true, maxConnections: 1, maxMessages: Infinity});
(async () => {
  await t.verify();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++)
    await t.sendMail({from: 'bench@example.test', to: 'sink@example.test', subject: 'benchmark',
                      text: body, messageId: '<bench@example.test>'});
  const dt = Number(process.hrtime.bigint() - start) / 1e9;
  t.close();
  console.log(JSON.stringify({messages: count, seconds: dt, messagesPerSecond: count / dt}));
})().catch(e => { console.error(e); process.exit(1); });
"""


class Inbox:
    """ssmtp-inbox on a free loopback port, discarding messages, with server-side stats."""

    def __init__(self, build, *flags):
        self.dir = tempfile.mkdtemp(prefix="ssmtp-bench-")
        self.port_file = os.path.join(self.dir, "port")
        self.stats_file = os.path.join(self.dir, "stats.json")
        self.cmd = [os.path.join(build, "demo-app/ssmtp-inbox/ssmtp-inbox"), "--dir", self.dir,
                    "--port", "0", "--port-file", self.port_file, "--discard", "--quiet",
                    "--max-size", "0", "--stats-file", self.stats_file, *flags]
        self.proc = subprocess.Popen(self.cmd)
        for _ in range(200):
            if os.path.exists(self.port_file) and open(self.port_file).read().strip():
                break
            time.sleep(0.025)
        self.port = int(open(self.port_file).read().strip())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        with open(self.stats_file) as f:
            return json.load(f)


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def show(cmd):
    return " ".join(c if " " not in c and "\n" not in c else "'<script>'" for c in cmd)


def throughput(build, count, runs):
    print(f"\n== 1. Messages per second, {count} x 1 KB over one connection "
          "(ssmtp-inbox --discard: PIPELINING + CHUNKING) ==")
    bench = os.path.join(build, "tests/benchmarks/bench_send")
    peers = {"Ssmtp (this library)": lambda p: [bench, "throughput", str(p), str(count), "1024"],
             "Python smtplib": lambda p: ["/usr/bin/python3", "-c", SMTPLIB_PEER, str(p),
                                          str(count), "1024"]}
    node_dir = os.path.join(ROOT, "tests/integration")
    if os.path.isdir(os.path.join(node_dir, "node_modules/nodemailer")):
        peers["nodemailer (pool)"] = lambda p: ["node", "-e", NODEMAILER_PEER, str(p),
                                                str(count), "1024"]
    results = {name: [] for name in peers}
    # Interleave the peers so a noisy moment hits all of them alike.
    for _ in range(runs):
        for name, make in peers.items():
            inbox = Inbox(build)
            try:
                env = dict(os.environ, NODE_PATH=os.path.join(node_dir, "node_modules"))
                results[name].append(run_json(make(inbox.port), env=env)["messagesPerSecond"])
            finally:
                inbox.stop()
    medians = {name: statistics.median(v) for name, v in results.items()}
    for name, values in results.items():
        print(f"  {name:24s} median {medians[name]:10.0f} msg/s   runs: "
              + ", ".join(f"{v:.0f}" for v in values))
    ours = medians["Ssmtp (this library)"]
    for name, value in medians.items():
        if name != "Ssmtp (this library)":
            print(f"  ratio Ssmtp / {name}: {ours / value:.2f}x")
    print(f"  command: {show(peers['Ssmtp (this library)'](0))} (port of a fresh inbox)")
    return medians


def round_trips(build):
    print("\n== 2. Round trips per message, counted at the server (100 messages, one connection) ==")
    bench = os.path.join(build, "tests/benchmarks/bench_send")
    modes = [("PIPELINING + CHUNKING", []), ("PIPELINING only", ["--no-chunking"]),
             ("neither", ["--no-pipelining", "--no-chunking"])]
    out = {}
    for name, flags in modes:
        inbox = Inbox(build, *flags)
        try:
            run_json([bench, "throughput", str(inbox.port), "100", "1024"])
        finally:
            stats = inbox.stop()
        # EHLO and QUIT are one turn each; the greeting is not a turn.
        per_message = (stats["turns"] - 2) / 100
        out[name] = per_message
        print(f"  {name:24s} {per_message:.2f} round trips per message "
              f"(server saw {stats['turns']} turns for {stats['messages']} messages)")
    return out


def stream_memory(build, megabytes):
    print(f"\n== 3. Peak RSS while streaming a {megabytes} MB body through setMessageStream ==")
    bench = os.path.join(build, "tests/benchmarks/bench_send")
    path = os.path.join(tempfile.mkdtemp(prefix="ssmtp-bench-"), "body.txt")
    line = b"0123456789 abcdefghijklmnopqrstuvwxyz .dot-stuffing check ABCDEFGHIJKLMNOPQRSTU\n"
    with open(path, "wb") as f:
        chunk = line * (1024 * 1024 // len(line))
        written = 0
        while written < megabytes * 1024 * 1024:
            f.write(chunk)
            written += len(chunk)
    out = {}
    for name, flags in [("BDAT (CHUNKING)", []), ("DATA", ["--no-chunking"])]:
        inbox = Inbox(build, *flags)
        try:
            r = run_json([bench, "stream", str(inbox.port), path])
        finally:
            stats = inbox.stop()
        growth = r["growthKiB"] / 1024
        out[name] = growth
        print(f"  {name:16s} idle {r['idleRssKiB'] / 1024:6.1f} MiB, peak {r['peakRssKiB'] / 1024:6.1f}"
              f" MiB, growth {growth:5.1f} MiB (target <= 40), {r['bytes'] / 1e6:.0f} MB in "
              f"{r['seconds']:.2f} s = {r['bytes'] / r['seconds'] / 1e6:.0f} MB/s; server got "
              f"{stats['bytes'] / 1e6:.0f} MB")
    print(f"  command: {bench} stream PORT {path}")
    os.remove(path)
    return out


def attachment_memory(build, megabytes):
    print(f"\n== 4. Peak RSS while sending a {megabytes} MB attachment "
          "(random bytes, base64 on the fly) ==")
    bench = os.path.join(build, "tests/benchmarks/bench_send")
    path = os.path.join(tempfile.mkdtemp(prefix="ssmtp-bench-"), "attachment.bin")
    with open(path, "wb") as f:
        for _ in range(megabytes):
            f.write(os.urandom(1024 * 1024))
    out = {}
    try:
        for name, flags in [("BDAT (CHUNKING)", []), ("DATA", ["--no-chunking"])]:
            inbox = Inbox(build, *flags)
            try:
                r = run_json([bench, "attach", str(inbox.port), path])
            finally:
                stats = inbox.stop()
            growth = r["growthKiB"] / 1024
            out[name] = growth
            print(f"  {name:16s} idle {r['idleRssKiB'] / 1024:6.1f} MiB, peak "
                  f"{r['peakRssKiB'] / 1024:6.1f} MiB, growth {growth:5.1f} MiB (target <= 40), "
                  f"{r['bytes'] / 1e6:.0f} MB file in {r['seconds']:.2f} s = "
                  f"{r['bytes'] / r['seconds'] / 1e6:.0f} MB/s; server got "
                  f"{stats['bytes'] / 1e6:.0f} MB (base64)")
        print(f"  command: {bench} attach PORT {path}")
    finally:
        os.remove(path)
        os.rmdir(os.path.dirname(path))
    return out


def smime_signing(build, megabytes, runs):
    print(f"\n== 5. Signing a {megabytes} MB message vs openssl cms -sign ==")
    bench = os.path.join(build, "tests/benchmarks/bench_smime")
    if not os.path.exists(bench):
        print(f"  skipped: {bench} is not built")
        return None
    cmd = [bench, "--size-mb", str(megabytes), "--runs", str(runs)]
    r = run_json(cmd)
    size_mb = r["sizeBytes"] / (1024 * 1024)
    print(f"  Ssmtp (ssmtp::smime::sign, in process) median {r['ssmtpMs']:8.1f} ms "
          f"({size_mb / (r['ssmtpMs'] / 1000):5.0f} MB/s)")
    print(f"  openssl cms -sign (process, files)    median {r['opensslMs']:8.1f} ms "
          f"({size_mb / (r['opensslMs'] / 1000):5.0f} MB/s)")
    print(f"  ratio Ssmtp / openssl: {r['ratio']:.2f}x (target <= 1.2), {r['runs']} runs each, "
          f"{size_mb:.1f} MB entity")
    print(f"  command: {' '.join(cmd)}")
    return r["ratio"]


def tls_throughput(build, count, runs):
    print(f"\n== 6. Messages per second over TLS, {count} x 1 KB over one connection ==")
    node_dir = os.path.join(ROOT, "tests/integration")
    sink = os.path.join(node_dir, "servers/smtp-server-sink.js")
    if not os.path.isdir(os.path.join(node_dir, "node_modules/smtp-server")):
        print("  skipped: npm smtp-server not installed (scripts/setup-deps.sh)")
        return
    pki = tempfile.mkdtemp(prefix="ssmtp-bench-tls-")
    ca, key, cert = (os.path.join(pki, n) for n in ("ca.pem", "server.key", "server.pem"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    subprocess.run(["cp", cert, ca], check=True)
    bench = os.path.join(build, "tests/benchmarks/bench_send")
    # A fast TLS sink: our own inbox, discarding.
    results = {"Ssmtp (this library)": [], "Python smtplib": []}
    for _ in range(runs):
        for name in results:
            inbox = Inbox(build, "--tls-cert", cert, "--tls-key", key)
            try:
                if name.startswith("Ssmtp"):
                    env = dict(os.environ, SSMTP_BENCH_TLS="implicit", SSMTP_BENCH_CA=ca)
                    cmd = [bench, "throughput", str(inbox.port), str(count), "1024"]
                else:
                    env = None
                    cmd = ["/usr/bin/python3", "-c", SMTPLIB_TLS_PEER, str(inbox.port),
                           str(count), "1024", "implicit", ca]
                results[name].append(run_json(cmd, env=env)["messagesPerSecond"])
            finally:
                inbox.stop()
    medians = {name: statistics.median(v) for name, v in results.items()}
    print("  implicit TLS, ssmtp-inbox --discard --tls-cert:")
    for name, values in results.items():
        print(f"    {name:24s} median {medians[name]:8.0f} msg/s   runs: "
              + ", ".join(f"{v:.0f}" for v in values))
    print(f"    ratio Ssmtp / Python smtplib: "
          f"{medians['Ssmtp (this library)'] / medians['Python smtplib']:.2f}x")
    for mode in ("implicit", "explicit"):
        results = {"Ssmtp (this library)": [], "Python smtplib": []}
        for _ in range(runs):
            for name in results:
                outdir = tempfile.mkdtemp(prefix="ssmtp-bench-sink-", dir=pki)
                flag = "--secure" if mode == "implicit" else "--starttls"
                proc = subprocess.Popen(["node", sink, "--outdir", outdir, "--watch-stdin", flag,
                                         "--key", key, "--cert", cert, "--host", "127.0.0.1"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        env=dict(os.environ,
                                                 NODE_PATH=os.path.join(node_dir, "node_modules")))
                port = int(proc.stdout.readline().split()[1])
                try:
                    if name.startswith("Ssmtp"):
                        env = dict(os.environ, SSMTP_BENCH_TLS=mode, SSMTP_BENCH_CA=ca)
                        cmd = [bench, "throughput", str(port), str(count), "1024"]
                    else:
                        env = None
                        cmd = ["/usr/bin/python3", "-c", SMTPLIB_TLS_PEER, str(port), str(count),
                               "1024", mode, ca]
                    results[name].append(run_json(cmd, env=env)["messagesPerSecond"])
                finally:
                    proc.stdin.close()
                    proc.wait(timeout=30)
        medians = {name: statistics.median(v) for name, v in results.items()}
        print(f"  {mode} TLS, npm smtp-server (stores every message):")
        for name, values in results.items():
            print(f"    {name:24s} median {medians[name]:8.0f} msg/s   runs: "
                  + ", ".join(f"{v:.0f}" for v in values))
        print(f"    ratio Ssmtp / Python smtplib: "
              f"{medians['Ssmtp (this library)'] / medians['Python smtplib']:.2f}x")
    print(f"  command: SSMTP_BENCH_TLS=implicit|explicit SSMTP_BENCH_CA=ca.pem {bench} "
          f"throughput PORT {count} 1024")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stream-mb", type=int, default=200)
    parser.add_argument("--attach-mb", type=int, default=200)
    parser.add_argument("--smime-mb", type=int, default=10)
    parser.add_argument("--smime-runs", type=int, default=7)
    parser.add_argument("--only", type=int, default=0, help="run only this section (1-6)")
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)
    if not os.path.exists(os.path.join(build, "tests/benchmarks/bench_send")):
        sys.exit(f"build {build} first (scripts/build.sh); bench_send is missing")
    print(f"Ssmtp benchmarks, build {build}, {os.cpu_count()} cores")
    sections = {1: lambda: throughput(build, args.count, args.runs),
                2: lambda: round_trips(build),
                3: lambda: stream_memory(build, args.stream_mb),
                4: lambda: attachment_memory(build, args.attach_mb),
                5: lambda: smime_signing(build, args.smime_mb, args.smime_runs),
                6: lambda: tls_throughput(build, args.count, args.runs)}
    for number, run in sections.items():
        if args.only in (0, number):
            run()


if __name__ == "__main__":
    main()
