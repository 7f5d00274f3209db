#include "connectors/file/csv_reader.h"
#include "connectors/file/json_line_parser.h"
#include "support/test_support.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::connectors::file;

// Data tables with raw string literals live in *_cases.cpp: Qt 6.4 moc cannot lex them.
void addJsonLineCases();

namespace {

// One record as the tests compare it: fields joined by '|' (or "!error"), where it starts and
// ends, its line, and which fields were quoted ("q" quoted, "-" not).
struct Record
{
    QString text;
    qint64 line = 0;
    qint64 start = 0;
    qint64 end = 0;
    QString quoted;

    QString describe() const
    {
        return QStringLiteral("%1 @%2-%3 line %4 [%5]")
            .arg(text)
            .arg(start)
            .arg(end)
            .arg(line)
            .arg(quoted);
    }
};

QString describeAll(const std::vector<Record> &records)
{
    QStringList out;
    for (const Record &r : records)
        out << r.describe();
    return out.join(QLatin1Char('\n'));
}

Record makeRecord(const std::vector<std::string> &fields, std::size_t count,
                  const CsvRecordInfo &info)
{
    Record r;
    if (!info.error.empty()) {
        r.text = QStringLiteral("!") + QString::fromStdString(info.error);
    } else {
        QStringList parts;
        for (std::size_t i = 0; i < count; ++i)
            parts << QString::fromStdString(fields[i]);
        r.text = parts.join(QLatin1Char('|'));
    }
    r.line = info.line;
    r.start = info.startOffset;
    r.end = info.endOffset;
    for (bool q : info.quoted)
        r.quoted += q ? QLatin1Char('q') : QLatin1Char('-');
    return r;
}

std::vector<Record> readAll(CsvReader &reader)
{
    std::vector<Record> out;
    std::vector<std::string> fields;
    std::size_t count = 0;
    CsvRecordInfo info;
    while (reader.next(fields, count, info))
        out.push_back(makeRecord(fields, count, info));
    return out;
}

std::vector<Record> readAll(const QString &path, char delimiter = ',', char quote = '"')
{
    CsvReader reader;
    if (!reader.open(path, delimiter, quote))
        return {};
    return readAll(reader);
}

QStringList texts(const std::vector<Record> &records)
{
    QStringList out;
    for (const Record &r : records)
        out << r.text;
    return out;
}

QList<qint64> lines(const std::vector<Record> &records)
{
    QList<qint64> out;
    for (const Record &r : records)
        out << r.line;
    return out;
}

QStringList utf8List(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

// The reader's rules written as plainly as possible over the whole text, to compare against
// on random input: RFC 4180 fields, text after a closing quote kept, CR, LF or CRLF ending a
// record, blank lines skipped, a BOM skipped, line = 1 + the LFs before the record.
std::vector<Record> referenceParse(const QByteArray &text, char delimiter, char quote)
{
    std::vector<Record> out;
    const qsizetype n = text.size();
    qsizetype pos = text.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    qsizetype countedTo = 0;
    qint64 line = 1;
    for (;;) {
        while (pos < n && (text[pos] == '\n' || text[pos] == '\r'))
            ++pos;
        if (pos >= n)
            return out;
        Record r;
        r.start = pos;
        for (; countedTo < pos; ++countedTo)
            line += text[countedTo] == '\n' ? 1 : 0;
        r.line = line;
        QStringList fields;
        QString error;
        bool recordDone = false;
        while (!recordDone) {
            QByteArray field;
            const bool quoted = pos < n && text[pos] == quote;
            r.quoted += quoted ? QLatin1Char('q') : QLatin1Char('-');
            if (quoted) {
                ++pos;
                for (;;) {
                    if (pos >= n) {
                        error = QStringLiteral("unterminated quoted field");
                        break;
                    }
                    if (text[pos] == quote) {
                        ++pos;
                        if (pos < n && text[pos] == quote) {
                            field += quote;
                            ++pos;
                            continue;
                        }
                        break;
                    }
                    field += text[pos++];
                }
                if (!error.isEmpty()) {
                    fields << QString::fromStdString(field.toStdString());
                    break;
                }
            }
            for (;;) {
                if (pos >= n) {
                    recordDone = true;
                    break;
                }
                const char c = text[pos++];
                if (c == delimiter)
                    break;
                if (c == '\n' || c == '\r') {
                    if (c == '\r' && pos < n && text[pos] == '\n')
                        ++pos;
                    recordDone = true;
                    break;
                }
                field += c;
            }
            fields << QString::fromStdString(field.toStdString());
        }
        r.text = error.isEmpty() ? fields.join(QLatin1Char('|')) : QStringLiteral("!") + error;
        r.end = pos;
        out.push_back(r);
    }
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString fixture(const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("f%1.csv").arg(++m_files));
        weir::test::writeFile(path, bytes);
        return path;
    }

private slots:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("records");
        QTest::addColumn<QList<qint64>>("lines");
        QTest::addColumn<QStringList>("quoted");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << utf8List({"a|b", "1|2"})
                               << QList<qint64>{1, 2} << utf8List({"--", "--"});
        QTest::newRow("no final newline") << QByteArray("a,b\n1,2") << utf8List({"a|b", "1|2"})
                                          << QList<qint64>{1, 2} << utf8List({"--", "--"});
        QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n") << utf8List({"a|b", "1|2"})
                              << QList<qint64>{1, 2} << utf8List({"--", "--"});
        QTest::newRow("quotes") << QByteArray("\"a,1\",\"b\"\n") << utf8List({"a,1|b"})
                                << QList<qint64>{1} << utf8List({"qq"});
        QTest::newRow("doubled quotes")
            << QByteArray("\"say \"\"hi\"\"\",\"\"\"\"\n") << utf8List({"say \"hi\"|\""})
            << QList<qint64>{1} << utf8List({"qq"});
        QTest::newRow("embedded newline")
            << QByteArray("x,\"two\nlines\"\ny,z\n") << utf8List({"x|two\nlines", "y|z"})
            << QList<qint64>{1, 3} << utf8List({"-q", "--"});
        QTest::newRow("embedded crlf and newlines")
            << QByteArray("h\r\n\"a\r\nb\n\nc\"\r\nnext\r\n")
            << utf8List({"h", "a\r\nb\n\nc", "next"}) << QList<qint64>{1, 2, 6}
            << utf8List({"-", "q", "-"});
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFid,name\n1,a\n")
                             << utf8List({"id|name", "1|a"}) << QList<qint64>{1, 2}
                             << utf8List({"--", "--"});
        QTest::newRow("bom then quote") << QByteArray("\xEF\xBB\xBF\"id\"\n") << utf8List({"id"})
                                        << QList<qint64>{1} << utf8List({"q"});
        QTest::newRow("only a bom")
            << QByteArray("\xEF\xBB\xBF") << QStringList{} << QList<qint64>{} << QStringList{};
        QTest::newRow("empty file")
            << QByteArray() << QStringList{} << QList<qint64>{} << QStringList{};
        QTest::newRow("blank lines") << QByteArray("\n\na\n\n\r\n\nb\n\n") << utf8List({"a", "b"})
                                     << QList<qint64>{3, 7} << utf8List({"-", "-"});
        QTest::newRow("spaces are data") << QByteArray("a\n \nb\n") << utf8List({"a", " ", "b"})
                                         << QList<qint64>{1, 2, 3} << utf8List({"-", "-", "-"});
        QTest::newRow("empty fields") << QByteArray(",,\n\"\",x,\n") << utf8List({"||", "|x|"})
                                      << QList<qint64>{1, 2} << utf8List({"---", "q--"});
        QTest::newRow("trailing delimiter at eof")
            << QByteArray("a,") << utf8List({"a|"}) << QList<qint64>{1} << utf8List({"--"});
        QTest::newRow("unterminated quote")
            << QByteArray("a\n\"open,b\nc\n") << utf8List({"a", "!unterminated quoted field"})
            << QList<qint64>{1, 2} << utf8List({"-", "q"});
        QTest::newRow("quote only") << QByteArray("\"") << utf8List({"!unterminated quoted field"})
                                    << QList<qint64>{1} << utf8List({"q"});
        QTest::newRow("text after quote kept") << QByteArray("\"ab\"c,d\n") << utf8List({"abc|d"})
                                               << QList<qint64>{1} << utf8List({"q-"});
        QTest::newRow("quote inside unquoted field")
            << QByteArray("a\"b,c\n") << utf8List({"a\"b|c"}) << QList<qint64>{1}
            << utf8List({"--"});
        QTest::newRow("lone cr ends the record, not the line")
            << QByteArray("a\rb\nc\n") << utf8List({"a", "b", "c"}) << QList<qint64>{1, 1, 2}
            << utf8List({"-", "-", "-"});
        QTest::newRow("utf8") << QByteArray("名前,Ünïcödé\n") << utf8List({"名前|Ünïcödé"})
                              << QList<qint64>{1} << utf8List({"--"});
    }

    void parses()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, records);
        QFETCH(QList<qint64>, lines);
        QFETCH(QStringList, quoted);
        const std::vector<Record> got = readAll(fixture(text));
        QCOMPARE(texts(got), records);
        QCOMPARE(::lines(got), lines);
        QStringList gotQuoted;
        for (const Record &r : got)
            gotQuoted << r.quoted;
        QCOMPARE(gotQuoted, quoted);
    }

    void offsetsAreFileOffsets()
    {
        // BOM (3 bytes), then "id\r\n" (4), "\"a\nb\",1\n" (8), "\n" blank, "x,2" without newline.
        const std::vector<Record> got = readAll(fixture("\xEF\xBB\xBF"
                                                        "id\r\n\"a\nb\",1\n\nx,2"));
        QCOMPARE(describeAll(got), QStringLiteral("id @3-7 line 1 [-]\n"
                                                  "a\nb|1 @7-15 line 2 [q-]\n"
                                                  "x|2 @16-19 line 5 [--]"));
    }

    void rawTextIsTheRecordAsWritten()
    {
        const QString path = fixture("h\r\n\"a\"\"\nb\",2\r\nlast");
        CsvReader reader;
        QVERIFY(reader.open(path));
        std::vector<std::string> fields;
        std::size_t count = 0;
        CsvRecordInfo info;
        QStringList raw;
        while (reader.next(fields, count, info))
            raw << QString::fromStdString(reader.rawText(info));
        QCOMPARE(raw, utf8List({"h", "\"a\"\"\nb\",2", "last"}));
    }

    void customDelimiterAndQuote_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<char>("quote");
        QTest::addColumn<QStringList>("records");
        QTest::newRow("semicolon")
            << QByteArray("a;b,c\n\"x;y\";z\n") << ';' << '"' << utf8List({"a|b,c", "x;y|z"});
        QTest::newRow("tab") << QByteArray("a\tb\n\t\n") << '\t' << '"' << utf8List({"a|b", "|"});
        QTest::newRow("pipe and single quote")
            << QByteArray("'it''s'|\"q\"\n") << '|' << '\'' << utf8List({"it's|\"q\""});
    }

    void customDelimiterAndQuote()
    {
        QFETCH(QByteArray, text);
        QFETCH(char, delimiter);
        QFETCH(char, quote);
        QFETCH(QStringList, records);
        QCOMPARE(texts(readAll(fixture(text), delimiter, quote)), records);
    }

    void bigFieldsCrossChunks()
    {
        // Fields and quoted newlines that straddle the 1 MiB read chunks.
        QByteArray text = "h1,h2\n";
        const QByteArray big(1500000, 'x');
        text += "\"" + big + "\nz\",1\n";
        text += "tail,2\n";
        const std::vector<Record> got = readAll(fixture(text));
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(got[1].text, QString::fromLatin1(big + "\nz|1"));
        QCOMPARE(got[2].text, QStringLiteral("tail|2"));
        QCOMPARE(lines(got), (QList<qint64>{1, 2, 4}));
        QCOMPARE(got[2].start, qint64(6 + 1 + 1500000 + 6));
        QCOMPARE(got[2].end, qint64(text.size()));
    }

    void seekResumesAtEveryRecordWithExactLines()
    {
        const QByteArray text = "\xEF\xBB\xBF"
                                "h\r\n1\n\"2\n2\"\n\n3,\"\"\r4\n\"open\n";
        const QString path = fixture(text);
        const std::vector<Record> all = readAll(path);
        QCOMPARE(all.size(), std::size_t(6));
        for (std::size_t k = 0; k < all.size(); ++k) {
            CsvReader reader;
            QVERIFY(reader.open(path));
            QVERIFY(reader.seek(all[k].start));
            const std::vector<Record> rest = readAll(reader);
            const std::vector<Record> expected(all.begin() + static_cast<std::ptrdiff_t>(k),
                                               all.end());
            QCOMPARE(describeAll(rest), describeAll(expected));
        }
        // Seeking to the end of the last record leaves nothing to read.
        CsvReader reader;
        QVERIFY(reader.open(path));
        QVERIFY(reader.seek(all.back().end));
        QCOMPARE(readAll(reader).size(), std::size_t(0));
        QCOMPARE(reader.offset(), qint64(text.size()));
    }

    void offsetAndSize()
    {
        const QString path = fixture("a,b\n1,2\n");
        CsvReader reader;
        QVERIFY(reader.open(path));
        QCOMPARE(reader.fileSize(), qint64(8));
        QCOMPARE(reader.offset(), qint64(0));
        std::vector<std::string> fields;
        std::size_t count = 0;
        CsvRecordInfo info;
        QVERIFY(reader.next(fields, count, info));
        QCOMPARE(reader.offset(), qint64(4));
        QVERIFY(reader.next(fields, count, info));
        QVERIFY(!reader.next(fields, count, info));
        QCOMPARE(reader.offset(), qint64(8));
    }

    void missingFileIsNotFound()
    {
        const QString path = m_dir.filePath(QStringLiteral("nope.csv"));
        CsvReader reader;
        const weir::Status s = reader.open(path);
        QVERIFY(!s);
        QCOMPARE(s.error().code, weir::ErrorCode::NotFound);
        QCOMPARE(s.error().message,
                 QStringLiteral("cannot open %1: No such file or directory").arg(path));
    }

    void folderIsInvalid()
    {
        CsvReader reader;
        const weir::Status s = reader.open(m_dir.path());
        QVERIFY(!s);
        QCOMPARE(s.error().code, weir::ErrorCode::Invalid);
        QCOMPARE(s.error().message, QStringLiteral("%1 is a folder, not a file").arg(m_dir.path()));
    }

    void chunkEdgeAtEveryByte()
    {
        // The reader refills its buffer every 1 MiB; a filler record pushes each byte of the
        // tail onto that edge in turn, so every two-byte decision (doubled quote, CRLF, closing
        // quote then delimiter) is split at least once.
        const QByteArray tail = "\n\"a\"\"b\",\"\"\r\n\"q\"x,y\r\r\n,\"\n\"\n";
        constexpr qsizetype chunk = 1 << 20;
        for (qsizetype shift = 0; shift <= tail.size(); ++shift) {
            const QByteArray text = QByteArray(chunk - tail.size() + shift, 'x') + tail;
            QCOMPARE(describeAll(readAll(fixture(text))),
                     describeAll(referenceParse(text, ',', '"')));
        }
    }

    void randomInputMatchesReference_data()
    {
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<char>("quote");
        QTest::newRow("comma") << ',' << '"';
        QTest::newRow("semicolon and single quote") << ';' << '\'';
    }

    void randomInputMatchesReference()
    {
        QFETCH(char, delimiter);
        QFETCH(char, quote);
        QRandomGenerator rng(20241125);
        const char alphabet[] = {'a',    delimiter, quote,  '\n', '\r', 'b',
                                 '\xEF', '\xBB',    '\xBF', ' ',  '\0'};
        auto randomText = [&](int size) {
            QByteArray text;
            text.reserve(size);
            // Often start with a BOM, so its handling meets every kind of input.
            if (rng.bounded(3) == 0)
                text += "\xEF\xBB\xBF";
            for (int i = 0; i < size; ++i)
                text += alphabet[rng.bounded(static_cast<int>(sizeof alphabet))];
            return text;
        };
        for (int round = 0; round < 400; ++round) {
            const QByteArray text = randomText(static_cast<int>(rng.bounded(120)));
            QCOMPARE(describeAll(readAll(fixture(text), delimiter, quote)),
                     describeAll(referenceParse(text, delimiter, quote)));
        }
        // Large enough that records straddle the read chunks at random places.
        const QByteArray big = randomText(3 * 1024 * 1024);
        QCOMPARE(describeAll(readAll(fixture(big), delimiter, quote)),
                 describeAll(referenceParse(big, delimiter, quote)));
    }

    void jsonLineParser_data() { addJsonLineCases(); }

    void jsonLineParser()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, expected);
        std::vector<std::pair<std::string, weir::record::Value>> fields;
        JsonLineError error;
        QString got;
        if (parseJsonObjectLine(
                std::string_view(line.constData(), static_cast<std::size_t>(line.size())), fields,
                error)) {
            QStringList parts;
            for (const auto &[k, v] : fields)
                parts << QString::fromStdString(k + "=" +
                                                std::string(weir::record::valueKindName(v.kind())) +
                                                ":" + v.toText());
            got = parts.join(QLatin1Char(';'));
        } else {
            got = QStringLiteral("!%1:%2")
                      .arg(error.column)
                      .arg(QString::fromStdString(error.message));
        }
        QCOMPARE(got, expected);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csv_reader.moc"
