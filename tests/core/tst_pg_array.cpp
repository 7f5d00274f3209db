#include "connectors/postgres/pg_array.h"

#include <QTest>

using weir::connectors::postgres::ArrayElements;
using weir::connectors::postgres::arrayElementsOf;
using weir::connectors::postgres::jsonToPgArray;
using weir::connectors::postgres::pgArrayToJson;

Q_DECLARE_METATYPE(ArrayElements)

class TestPgArray : public QObject
{
    Q_OBJECT

private slots:
    void toJson_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ArrayElements>("elements");
        QTest::addColumn<QString>("json"); // empty: not an array
        const auto num = ArrayElements::Number;
        const auto txt = ArrayElements::Text;
        QTest::newRow("ints") << "{1,-2,30}" << num << "[1,-2,30]";
        QTest::newRow("empty") << "{}" << num << "[]";
        QTest::newRow("null element") << "{1,NULL,3}" << num << "[1,null,3]";
        QTest::newRow("decimals keep digits") << "{1.50,0.000}" << num << "[1.50,0.000]";
        QTest::newRow("float exponent") << "{1e+20,-1.5e-07}" << num << "[1e+20,-1.5e-07]";
        QTest::newRow("specials as strings")
            << "{NaN,Infinity,-Infinity}" << num << "[\"NaN\",\"Infinity\",\"-Infinity\"]";
        QTest::newRow("nested") << "{{1,2},{3,4}}" << num << "[[1,2],[3,4]]";
        QTest::newRow("empty nested") << "{{},{}}" << num << "[[],[]]";
        QTest::newRow("lower bounds dropped") << "[0:1]={7,8}" << num << "[7,8]";
        QTest::newRow("two dimensions with bounds")
            << "[0:1][2:3]={{1,2},{3,4}}" << num << "[[1,2],[3,4]]";
        QTest::newRow("booleans") << "{t,f,NULL}" << ArrayElements::Boolean << "[true,false,null]";
        QTest::newRow("words") << "{a,b}" << txt << "[\"a\",\"b\"]";
        QTest::newRow("quoted and escaped") << "{\"a b\",\"c\\\"d\",\"e\\\\f\",\"\"}" << txt
                                            << "[\"a b\",\"c\\\"d\",\"e\\\\f\",\"\"]";
        QTest::newRow("the word NULL quoted is text")
            << "{\"NULL\",NULL}" << txt << "[\"NULL\",null]";
        QTest::newRow("braces and commas inside quotes") << "{\"{x,y}\"}" << txt << "[\"{x,y}\"]";
        QTest::newRow("control characters escaped for JSON")
            << QStringLiteral("{\"a\tb\"}") << txt << "[\"a\\tb\"]";
        QTest::newRow("utf-8 kept")
            << QStringLiteral("{ünï}") << txt << QStringLiteral("[\"ünï\"]");
        QTest::newRow("json elements kept")
            << "{\"{\\\"k\\\": [1, 2]}\",null,\"\\\"s\\\"\"}" << ArrayElements::Json
            << "[{\"k\": [1, 2]},null,\"s\"]";
        QTest::newRow("not an array") << "1,2" << num << "";
        QTest::newRow("unclosed") << "{1,2" << num << "";
        QTest::newRow("unclosed quote") << "{\"a" << txt << "";
        QTest::newRow("trailing text") << "{1}x" << num << "";
        QTest::newRow("empty element") << "{1,,2}" << num << "";
        QTest::newRow("bounds without =") << "[0:1]{1}" << num << "";
    }

    void toJson()
    {
        QFETCH(QString, text);
        QFETCH(ArrayElements, elements);
        QFETCH(QString, json);
        const auto got = pgArrayToJson(text.toStdString(), elements);
        if (json.isEmpty()) {
            QVERIFY2(!got, got ? got->c_str() : "");
            return;
        }
        QVERIFY(got);
        QCOMPARE(QString::fromStdString(*got), json);
    }

    void backToPostgres_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("array"); // empty: not a JSON array
        QTest::newRow("numbers") << "[1, -2.50, 1e+20]"
                                 << "{1,-2.50,1e+20}";
        QTest::newRow("null and booleans") << "[null,true,false]"
                                           << "{NULL,true,false}";
        QTest::newRow("empty") << " [ ] "
                               << "{}";
        QTest::newRow("nested") << "[[1,2],[3,4]]"
                                << "{{1,2},{3,4}}";
        QTest::newRow("strings quoted and escaped") << "[\"a b\",\"c\\\"d\",\"e\\\\f\",\"NULL\"]"
                                                    << "{\"a b\",\"c\\\"d\",\"e\\\\f\",\"NULL\"}";
        QTest::newRow("json escapes decoded")
            << "[\"\\u00fc\\n\\ud83d\\ude00\"]" << QStringLiteral("{\"ü\n😀\"}");
        QTest::newRow("objects as quoted json") << "[{\"k\": [1, \"}\"]}]"
                                                << "{\"{\\\"k\\\": [1, \\\"}\\\"]}\"}";
        QTest::newRow("not an array") << "{\"a\": 1}"
                                      << "";
        QTest::newRow("bare word") << "[abc]"
                                   << "";
        QTest::newRow("unclosed") << "[1,2"
                                  << "";
        QTest::newRow("trailing") << "[1] x"
                                  << "";
        QTest::newRow("lone surrogate") << "[\"\\ud83d\"]"
                                        << "";
    }

    void backToPostgres()
    {
        QFETCH(QString, json);
        QFETCH(QString, array);
        const auto got = jsonToPgArray(json.toStdString());
        if (array.isEmpty()) {
            QVERIFY2(!got, got ? got->c_str() : "");
            return;
        }
        QVERIFY(got);
        QCOMPARE(QString::fromStdString(*got), array);
    }

    void builtInArrayTypes()
    {
        QCOMPARE(arrayElementsOf(1007), ArrayElements::Number); // int4[]
        QCOMPARE(arrayElementsOf(1231), ArrayElements::Number); // numeric[]
        QCOMPARE(arrayElementsOf(1009), ArrayElements::Text);   // text[]
        QCOMPARE(arrayElementsOf(1000), ArrayElements::Boolean);
        QCOMPARE(arrayElementsOf(3807), ArrayElements::Json); // jsonb[]
        QVERIFY(!arrayElementsOf(23));                        // int4 itself
        QVERIFY(!arrayElementsOf(25));                        // text itself
    }
};

QTEST_GUILESS_MAIN(TestPgArray)
#include "tst_pg_array.moc"
