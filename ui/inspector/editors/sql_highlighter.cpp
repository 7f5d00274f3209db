#include "inspector/editors/sql_highlighter.h"

namespace weir::ui {

namespace {

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        QSet<QString> out;
        const char *const list[] = {
            "ALL",      "AND",    "AS",        "ASC",    "BETWEEN", "BLOB",      "BY",
            "CASE",     "CAST",   "COLLATE",   "CREATE", "CROSS",   "DELETE",    "DESC",
            "DISTINCT", "DROP",   "ELSE",      "END",    "ESCAPE",  "EXCEPT",    "EXISTS",
            "FALSE",    "FILTER", "FROM",      "FULL",   "GLOB",    "GROUP",     "HAVING",
            "IN",       "INDEX",  "INNER",     "INSERT", "INTEGER", "INTERSECT", "INTO",
            "IS",       "JOIN",   "LEFT",      "LIKE",   "LIMIT",   "NATURAL",   "NOCASE",
            "NOT",      "NULL",   "NUMERIC",   "OFFSET", "ON",      "OR",        "ORDER",
            "OUTER",    "OVER",   "PARTITION", "RANGE",  "REAL",    "RECURSIVE", "REGEXP",
            "RIGHT",    "ROWS",   "SELECT",    "SET",    "TABLE",   "TEXT",      "THEN",
            "TRUE",     "UNION",  "UPDATE",    "USING",  "VALUES",  "VIEW",      "WHEN",
            "WHERE",    "WINDOW", "WITH",
        };
        for (const char *word : list)
            out.insert(QString::fromLatin1(word));
        return out;
    }();
    return words;
}

bool isWordStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_');
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    m_keyword.setFontWeight(QFont::DemiBold);
    m_comment.setFontItalic(true);
    applyColors();
}

void SqlHighlighter::setDarkBackground(bool dark)
{
    if (m_dark == dark)
        return;
    m_dark = dark;
    applyColors();
    rehighlight();
}

void SqlHighlighter::applyColors()
{
    // Close to the colours people know from common editors' light and dark themes.
    m_keyword.setForeground(m_dark ? QColor(0x6c, 0xb6, 0xff) : QColor(0x0b, 0x4f, 0xa8));
    m_string.setForeground(m_dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_identifier.setForeground(m_dark ? QColor(0xdc, 0xdc, 0xaa) : QColor(0x79, 0x5e, 0x26));
    m_number.setForeground(m_dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_comment.setForeground(m_dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6a, 0x73, 0x7d));
}

// Formats the comment, string or quoted identifier that starts at `from` (or, `continued`,
// that an earlier line left open); returns where it ends — text.size() when it runs on into
// the next line, which the block state records.
int SqlHighlighter::highlightOpen(const QString &text, int from, State state, bool continued)
{
    const int n = static_cast<int>(text.size());
    const int bodyStart = continued ? from : from + (state == InComment ? 2 : 1);
    int end = -1;
    if (state == InComment) {
        const qsizetype close = text.indexOf(QLatin1String("*/"), bodyStart);
        end = close < 0 ? -1 : static_cast<int>(close) + 2;
    } else {
        const QChar quote = state == InString ? QLatin1Char('\'') : QLatin1Char('"');
        for (int i = bodyStart; i < n; ++i) {
            if (text.at(i) != quote)
                continue;
            // A doubled quote is an escaped one.
            if (i + 1 < n && text.at(i + 1) == quote) {
                ++i;
                continue;
            }
            end = i + 1;
            break;
        }
    }
    const QTextCharFormat &format = state == InComment  ? m_comment
                                    : state == InString ? m_string
                                                        : m_identifier;
    if (end < 0) {
        setFormat(from, n - from, format);
        setCurrentBlockState(state);
        return n;
    }
    setFormat(from, end - from, format);
    return end;
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    setCurrentBlockState(Plain);
    const int n = static_cast<int>(text.size());
    int i = 0;
    if (const int open = previousBlockState(); open > Plain)
        i = highlightOpen(text, 0, static_cast<State>(open), true);
    while (i < n) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < n ? text.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            setFormat(i, n - i, m_comment);
            return;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            i = highlightOpen(text, i, InComment, false);
            continue;
        }
        if (c == QLatin1Char('\'')) {
            i = highlightOpen(text, i, InString, false);
            continue;
        }
        if (c == QLatin1Char('"')) {
            i = highlightOpen(text, i, InIdentifier, false);
            continue;
        }
        if (c.isDigit() || (c == QLatin1Char('.') && next.isDigit())) {
            int j = i + 1;
            while (j < n && (text.at(j).isDigit() || text.at(j) == QLatin1Char('.')))
                ++j;
            if (j < n && (text.at(j) == QLatin1Char('e') || text.at(j) == QLatin1Char('E'))) {
                int k = j + 1;
                if (k < n && (text.at(k) == QLatin1Char('+') || text.at(k) == QLatin1Char('-')))
                    ++k;
                if (k < n && text.at(k).isDigit()) {
                    j = k;
                    while (j < n && text.at(j).isDigit())
                        ++j;
                }
            }
            if (j == n || !isWordChar(text.at(j)))
                setFormat(i, j - i, m_number);
            i = j;
            continue;
        }
        if (isWordStart(c)) {
            int j = i + 1;
            while (j < n && isWordChar(text.at(j)))
                ++j;
            if (keywords().contains(text.mid(i, j - i).toUpper()))
                setFormat(i, j - i, m_keyword);
            i = j;
            continue;
        }
        ++i;
    }
}

} // namespace weir::ui
