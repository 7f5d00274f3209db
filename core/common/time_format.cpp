#include "common/time_format.h"

#include <chrono>
#include <cstdio>

namespace weir::common {
namespace {

// Howard Hinnant's days-from-civil algorithm (public domain description).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool isLeap(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(std::int64_t y, unsigned m)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

// Reads exactly n digits at pos.
bool digits(std::string_view s, std::size_t &pos, int n, unsigned &out)
{
    if (pos + static_cast<std::size_t>(n) > s.size())
        return false;
    unsigned v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = s[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    pos += static_cast<std::size_t>(n);
    out = v;
    return true;
}

bool expect(std::string_view s, std::size_t &pos, char c)
{
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

} // namespace

std::optional<std::int64_t> parseIsoTimestamp(std::string_view s)
{
    std::size_t pos = 0;
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) ||
        !expect(s, pos, '-') || !digits(s, pos, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return std::nullopt;
    std::int64_t micros = 0;
    std::int64_t offsetSeconds = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
            return std::nullopt;
        ++pos;
        if (!digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute))
            return std::nullopt;
        if (expect(s, pos, ':') && !digits(s, pos, 2, second))
            return std::nullopt;
        if (hour > 23 || minute > 59 || second > 60)
            return std::nullopt;
        if (expect(s, pos, '.') || expect(s, pos, ',')) {
            int n = 0;
            std::int64_t frac = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (n < 6) {
                    frac = frac * 10 + (s[pos] - '0');
                    ++n;
                }
                ++pos;
            }
            if (n == 0)
                return std::nullopt;
            for (int i = n; i < 6; ++i)
                frac *= 10;
            micros = frac;
        }
        if (expect(s, pos, 'Z') || expect(s, pos, 'z')) {
        } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
            const int sign = s[pos] == '-' ? -1 : 1;
            ++pos;
            unsigned oh = 0, om = 0;
            if (!digits(s, pos, 2, oh))
                return std::nullopt;
            // +hh:mm, +hhmm, or +hh alone (PostgreSQL writes "+00").
            const bool colon = expect(s, pos, ':');
            if ((colon || pos < s.size()) && !digits(s, pos, 2, om))
                return std::nullopt;
            if (oh > 23 || om > 59)
                return std::nullopt;
            offsetSeconds = sign * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
        }
        if (pos != s.size())
            return std::nullopt;
    }
    const std::int64_t days = daysFromCivil(year, month, day);
    const std::int64_t seconds = days * 86400 + std::int64_t{hour} * 3600 +
                                 std::int64_t{minute} * 60 + second - offsetSeconds;
    return seconds * 1000000 + micros;
}

namespace {

// `width` decimal digits of `value`, zero-padded; returns the end.
char *putDigits(char *out, unsigned value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out + width;
}

std::string formatIso(std::int64_t micros, bool alwaysMicros)
{
    std::int64_t seconds = micros / 1000000;
    std::int64_t frac = micros % 1000000;
    if (frac < 0) {
        frac += 1000000;
        --seconds;
    }
    std::int64_t days = seconds / 86400;
    std::int64_t rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(days, y, m, d);
    const auto h = static_cast<unsigned>(rem / 3600), mi = static_cast<unsigned>(rem % 3600 / 60),
               s = static_cast<unsigned>(rem % 60);
    const bool millis = !alwaysMicros && frac % 1000 == 0;
    if (y < 0 || y > 9999) {
        char buf[48];
        const int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%0*lldZ",
                                    static_cast<long long>(y), m, d, h, mi, s, millis ? 3 : 6,
                                    static_cast<long long>(millis ? frac / 1000 : frac));
        return std::string(buf, static_cast<std::size_t>(n));
    }
    // By hand: sinks format a timestamp per row, and snprintf is most of their time.
    char buf[27];
    char *out = putDigits(buf, static_cast<unsigned>(y), 4);
    *out++ = '-';
    out = putDigits(out, m, 2);
    *out++ = '-';
    out = putDigits(out, d, 2);
    *out++ = 'T';
    out = putDigits(out, h, 2);
    *out++ = ':';
    out = putDigits(out, mi, 2);
    *out++ = ':';
    out = putDigits(out, s, 2);
    *out++ = '.';
    out = millis ? putDigits(out, static_cast<unsigned>(frac / 1000), 3)
                 : putDigits(out, static_cast<unsigned>(frac), 6);
    *out++ = 'Z';
    return std::string(buf, out);
}

} // namespace

std::string formatIsoTimestamp(std::int64_t micros)
{
    return formatIso(micros, false);
}

std::string formatIsoTimestampMicros(std::int64_t micros)
{
    return formatIso(micros, true);
}

std::int64_t nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t nowMillis()
{
    return nowMicros() / 1000;
}

} // namespace weir::common
