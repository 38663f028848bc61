// Always-on checks for the fuzz targets (independent of Q_ASSERT / NDEBUG).
// FUZZ_CHECK prints the failed condition and, when the replay driver is running, the input
// being tested (hex), then abort()s so ctest, sanitizers and libFuzzer all report it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace fuzz {

// Set by fuzzdriver.cpp before each input (stay null under libFuzzer, which saves the
// crashing input itself).
inline const std::uint8_t *currentData = nullptr;
inline std::size_t currentSize = 0;

inline void dumpCurrentInput()
{
    if (!currentData)
        return;
    std::fprintf(stderr, "input (%zu bytes, hex):\n", currentSize);
    for (std::size_t i = 0; i < currentSize; ++i)
        std::fprintf(stderr, "%02x%s", unsigned(currentData[i]), (i % 32 == 31) ? "\n" : "");
    std::fprintf(stderr, "\n");
}

[[noreturn]] inline void fail(const char *file, int line, const char *condition, const char *what)
{
    std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s (%s)\n", file, line, condition, what);
    dumpCurrentInput();
    std::fflush(stderr);
    std::abort();
}

} // namespace fuzz

#define FUZZ_CHECK(cond, what)                                                                     \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::fuzz::fail(__FILE__, __LINE__, #cond, what);                                         \
    } while (false)
