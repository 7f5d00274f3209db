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

struct Read
{
    QStringList records; // fields joined by '|', or "!error"
    QList<qint64> lines;
};

Read readAll(const QString &path, char delimiter = ',')
{
    CsvReader reader;
    Read out;
    if (!reader.open(path, delimiter))
        return out;
    std::vector<std::string> fields;
    std::size_t count = 0;
    CsvRecordInfo info;
    while (reader.next(fields, count, info)) {
        QStringList parts;
        for (std::size_t i = 0; i < count; ++i)
            parts << QString::fromStdString(fields[i]);
        out.records << (info.error.empty()
                            ? parts.join(QLatin1Char('|'))
                            : QStringLiteral("!") + QString::fromStdString(info.error));
        out.lines << info.line;
    }
    return out;
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString fixture(const QByteArray &bytes)
    {
        static int n = 0;
        const QString path = m_dir.filePath(QStringLiteral("f%1.csv").arg(++n));
        weir::test::writeFile(path, bytes);
        return path;
    }

private slots:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("records");
        QTest::addColumn<QList<qint64>>("lines");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << QStringList{"a|b", "1|2"}
                               << QList<qint64>{1, 2};
        QTest::newRow("no final newline")
            << QByteArray("a,b\n1,2") << QStringList{"a|b", "1|2"} << QList<qint64>{1, 2};
        QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n") << QStringList{"a|b", "1|2"}
                              << QList<qint64>{1, 2};
        QTest::newRow("quotes") << QByteArray("\"a,1\",\"say \"\"hi\"\"\"\n")
                                << QStringList{"a,1|say \"hi\""} << QList<qint64>{1};
        QTest::newRow("embedded newline")
            << QByteArray("x,\"two\nlines\"\ny,z\n") << QStringList{"x|two\nlines", "y|z"}
            << QList<qint64>{1, 3};
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFid,name\n1,a\n")
                             << QStringList{"id|name", "1|a"} << QList<qint64>{1, 2};
        QTest::newRow("blank lines")
            << QByteArray("a\n\n\nb\n") << QStringList{"a", "b"} << QList<qint64>{1, 4};
        QTest::newRow("empty fields")
            << QByteArray(",,\n\"\",x,\n") << QStringList{"||", "|x|"} << QList<qint64>{1, 2};
        QTest::newRow("unterminated quote")
            << QByteArray("a\n\"open,b\n") << QStringList{"a", "!unterminated quoted field"}
            << QList<qint64>{1, 2};
        QTest::newRow("text after quote kept")
            << QByteArray("\"ab\"c,d\n") << QStringList{"abc|d"} << QList<qint64>{1};
        QTest::newRow("utf8") << QByteArray("名前,Ünïcödé\n") << QStringList{"名前|Ünïcödé"}
                              << QList<qint64>{1};
    }

    void parses()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, records);
        QFETCH(QList<qint64>, lines);
        const Read r = readAll(fixture(text));
        QCOMPARE(r.records, records);
        QCOMPARE(r.lines, lines);
    }

    void customDelimiter()
    {
        QCOMPARE(readAll(fixture("a;b,c\n"), ';').records, QStringList{"a|b,c"});
        QCOMPARE(readAll(fixture("a\tb\n"), '\t').records, QStringList{"a|b"});
    }

    void bigFieldsCrossChunks()
    {
        // Fields and quoted newlines that straddle the 1 MiB read chunks.
        QByteArray text = "h1,h2\n";
        const QByteArray big(1500000, 'x');
        text += "\"" + big + "\nz\",1\n";
        text += "tail,2\n";
        const Read r = readAll(fixture(text));
        QCOMPARE(r.records.size(), 3);
        QCOMPARE(r.records[1].size(), 1500000 + 2 + 2);
        QCOMPARE(r.records[2], QStringLiteral("tail|2"));
        QCOMPARE(r.lines, (QList<qint64>{1, 2, 4}));
    }

    void seekResumesWithExactLines()
    {
        const QString path = fixture("h\n1\n\"2\n2\"\n3\n4\n");
        CsvReader reader;
        QVERIFY(reader.open(path));
        std::vector<std::string> fields;
        std::size_t count = 0;
        CsvRecordInfo info;
        QVERIFY(reader.next(fields, count, info));
        QVERIFY(reader.next(fields, count, info));
        QVERIFY(reader.next(fields, count, info)); // "2\n2"
        const qint64 resumeAt = info.endOffset;
        CsvReader again;
        QVERIFY(again.open(path));
        QVERIFY(again.seek(resumeAt));
        QVERIFY(again.next(fields, count, info));
        QCOMPARE(fields[0], std::string("3"));
        QCOMPARE(info.line, qint64(5));
        QCOMPARE(again.rawText(info), std::string("3"));
    }

    void missingFileIsNotFound()
    {
        CsvReader reader;
        const weir::Status s = reader.open(m_dir.filePath(QStringLiteral("nope.csv")));
        QVERIFY(!s);
        QCOMPARE(s.error().code, weir::ErrorCode::NotFound);
        QVERIFY(s.error().message.contains(QLatin1String("nope.csv")));
    }

    void randomBytesNeverCrash()
    {
        auto *rng = QRandomGenerator::global();
        const char alphabet[] = {'a', ',', '"', '\n', '\r', 'b', '\xEF', ' '};
        for (int round = 0; round < 200; ++round) {
            QByteArray text;
            const int size = static_cast<int>(rng->bounded(200));
            for (int i = 0; i < size; ++i)
                text += alphabet[rng->bounded(static_cast<int>(sizeof alphabet))];
            const Read r = readAll(fixture(text));
            QVERIFY(r.records.size() <= text.size() + 1);
        }
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
