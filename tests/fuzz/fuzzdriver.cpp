// Stand-alone replay + mutation driver, linked instead of libFuzzer (SSMTP_LIBFUZZER=OFF).
//
//   fuzz_<target> [corpus-dir-or-file ...] [-n ITERATIONS] [-t SECONDS] [-s SEED]
//
// Runs every file of the given corpus directories (sorted by name), then ITERATIONS
// pseudo-random mutations of them (bit flips, byte insertions/deletions/overwrites, block
// duplication, splicing two inputs, inserting tokens such as CR, LF, "\r\n.", quotes and
// angle brackets) through LLVMFuzzerTestOneInput, stopping early after SECONDS.
// Defaults: 20000 iterations, 10 s, seed 1; the environment variables FUZZ_ITERATIONS,
// FUZZ_SECONDS, FUZZ_SEED and FUZZ_MAX_LEN (default 4096) override the defaults, options
// override the environment. The same seed and corpus give the same inputs.
// A failed check abort()s after printing the input in hex (see fuzzcheck.h).
#include "fuzzcheck.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

long envOr(const char *name, long fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::strtol(v, nullptr, 10) : fallback;
}

const char *const kTokens[] = {"\r",  "\n",   "\r\n", "\r\n.",    ".\r\n", "\r\n.\r\n", "\"",
                               "\\",  "<",    ">",    "@",        ",",     ";",         ":",
                               "(",   ")",    " ",    "\t",       "=?",    "?=",        "-",
                               "250", "250-", "--",   "\xc3\xa9", "\xff",  "\x80",      "\0"};

void mutate(Bytes &b, std::mt19937_64 &rng, const std::vector<Bytes> &pool, std::size_t maxLen)
{
    auto pick = [&](std::size_t n) { return n ? std::size_t(rng() % n) : 0; };
    const int rounds = 1 + int(rng() % 6);
    for (int r = 0; r < rounds; ++r) {
        switch (rng() % 9) {
        case 0: // flip a bit
            if (!b.empty())
                b[pick(b.size())] ^= std::uint8_t(1u << (rng() % 8));
            break;
        case 1: // overwrite a byte
            if (!b.empty())
                b[pick(b.size())] = std::uint8_t(rng());
            break;
        case 2: // insert random bytes
        {
            const std::size_t n = 1 + pick(4);
            const std::size_t at = pick(b.size() + 1);
            for (std::size_t i = 0; i < n; ++i)
                b.insert(b.begin() + std::ptrdiff_t(at), std::uint8_t(rng()));
            break;
        }
        case 3: // delete a range
            if (!b.empty()) {
                const std::size_t at = pick(b.size());
                const std::size_t n = 1 + pick(std::min<std::size_t>(16, b.size() - at));
                b.erase(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + n));
            }
            break;
        case 4: // duplicate a block (grows lines and structures)
            if (!b.empty()) {
                const std::size_t at = pick(b.size());
                const std::size_t n = 1 + pick(std::min<std::size_t>(256, b.size() - at));
                const Bytes block(b.begin() + std::ptrdiff_t(at),
                                  b.begin() + std::ptrdiff_t(at + n));
                const std::size_t to = pick(b.size() + 1);
                const int times = 1 + int(rng() % 8);
                for (int t = 0; t < times; ++t)
                    b.insert(b.begin() + std::ptrdiff_t(to), block.begin(), block.end());
            }
            break;
        case 5: // splice with another input
            if (!pool.empty()) {
                const Bytes &o = pool[pick(pool.size())];
                const std::size_t cut = pick(b.size() + 1);
                const std::size_t from = pick(o.size() + 1);
                b.resize(cut);
                b.insert(b.end(), o.begin() + std::ptrdiff_t(from), o.end());
            }
            break;
        case 6: // insert a token
        {
            const char *t = kTokens[pick(std::size(kTokens))];
            const std::size_t len = *t ? std::strlen(t) : 1;
            b.insert(b.begin() + std::ptrdiff_t(pick(b.size() + 1)), t, t + len);
            break;
        }
        case 7: // swap two bytes
            if (b.size() > 1)
                std::swap(b[pick(b.size())], b[pick(b.size())]);
            break;
        default: // change the first byte (most targets take parameters from it)
            if (!b.empty())
                b[0] = std::uint8_t(rng());
            break;
        }
    }
    if (b.size() > maxLen)
        b.resize(maxLen);
}

void runOne(const Bytes &b)
{
    // A copy in its own allocation, so ASan catches reads past the end.
    std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[b.size() ? b.size() : 1]);
    if (!b.empty())
        std::memcpy(copy.get(), b.data(), b.size());
    fuzz::currentData = copy.get();
    fuzz::currentSize = b.size();
    LLVMFuzzerTestOneInput(copy.get(), b.size());
    fuzz::currentData = nullptr;
    fuzz::currentSize = 0;
}

extern "C" void onFatalSignal(int sig)
{
    std::fprintf(stderr, "fuzz driver: fatal signal %d\n", sig);
    fuzz::dumpCurrentInput();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

} // namespace

// Called by ASan/UBSan before they exit (weak: absent in a build without sanitizers).
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

int main(int argc, char **argv)
{
    long iterations = envOr("FUZZ_ITERATIONS", 20000);
    long seconds = envOr("FUZZ_SECONDS", 10);
    long seed = envOr("FUZZ_SEED", 1);
    const std::size_t maxLen = std::size_t(std::max(16L, envOr("FUZZ_MAX_LEN", 4096)));
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "-n" || a == "-t" || a == "-s") && i + 1 < argc) {
            const long v = std::strtol(argv[++i], nullptr, 10);
            (a == "-n" ? iterations : a == "-t" ? seconds : seed) = v;
        } else {
            paths.push_back(a);
        }
    }

    std::signal(SIGSEGV, onFatalSignal);
    std::signal(SIGBUS, onFatalSignal);
    std::signal(SIGFPE, onFatalSignal);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback([] { fuzz::dumpCurrentInput(); });

    std::vector<Bytes> corpus;
    for (const std::string &p : paths) {
        const std::filesystem::path path(p);
        if (std::filesystem::is_directory(path)) {
            std::vector<std::filesystem::path> files;
            for (const auto &entry : std::filesystem::directory_iterator(path))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto &f : files)
                corpus.push_back(readFile(f));
        } else if (std::filesystem::is_regular_file(path)) {
            corpus.push_back(readFile(path));
        } else {
            std::cerr << "fuzz driver: no such corpus: " << p << '\n';
            return 2;
        }
    }
    if (corpus.empty())
        corpus.emplace_back();

    const auto start = std::chrono::steady_clock::now();
    for (const Bytes &b : corpus)
        runOne(b);

    std::mt19937_64 rng{static_cast<std::uint64_t>(seed)};
    std::vector<Bytes> pool = corpus; // seeds plus a ring of recent mutants
    const std::size_t seedCount = corpus.size();
    const std::size_t ring = 64;
    long done = 0;
    bool timedOut = false;
    for (; done < iterations; ++done) {
        if ((done & 63) == 0 && seconds > 0 &&
            std::chrono::steady_clock::now() - start >= std::chrono::seconds(seconds)) {
            timedOut = true;
            break;
        }
        Bytes b = pool[rng() % pool.size()];
        mutate(b, rng, pool, maxLen);
        runOne(b);
        // Keep some mutants so mutations stack up over iterations.
        if (rng() % 4 == 0) {
            if (pool.size() < seedCount + ring)
                pool.push_back(std::move(b));
            else
                pool[seedCount + std::size_t(rng() % ring)] = std::move(b);
        }
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "fuzz driver: " << corpus.size() << " corpus inputs, " << done
              << " mutations (seed " << seed << ") in " << elapsed << " s"
              << (timedOut ? " (time budget reached)" : "") << '\n';
    return 0;
}
