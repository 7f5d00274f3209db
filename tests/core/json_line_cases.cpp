// Data rows for TestCsvReader::jsonLineParser (kept apart: moc cannot lex these literals).

#include <QTest>

void addJsonLineCases();

void addJsonLineCases()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected"); // key=kind:text;... or "!column:message"
    QTest::newRow("numbers keep their text")
        << QByteArray(R"({"a":123.45,"b":7,"c":-0.5e3,"d":99999999999999999999})")
        << "a=decimal:123.45;b=int:7;c=decimal:-0.5e3;d=decimal:99999999999999999999";
    QTest::newRow("literals") << QByteArray(R"({"t":true,"f":false,"n":null})")
                              << "t=bool:true;f=bool:false;n=null:";
    QTest::newRow("escapes") << QByteArray("{\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\"}")
                             << QStringLiteral("s=string:a\"b\\c/d\né😀");
    QTest::newRow("nested kept as json") << QByteArray(R"({"o":{"x":[1,"}"]},"l":[1,2]})")
                                         << R"(o=string:{"x":[1,"}"]};l=string:[1,2])";
    QTest::newRow("spaces") << QByteArray(R"(  { "a" : 1 , "b" : "x" }  )") << "a=int:1;b=string:x";
    QTest::newRow("empty object") << QByteArray("{}") << "";
    QTest::newRow("not an object")
        << QByteArray("[1]") << "!1:expected '{' (each line must be a JSON object)";
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << "!6:expected ':' after the key";
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << "!8:expected a quoted key";
    QTest::newRow("bad number") << QByteArray(R"({"a":01})") << "!6:invalid number";
    QTest::newRow("lone surrogate")
        << QByteArray("{\"a\":\"\\ud800x\"}") << "!13:unpaired surrogate in \\u escape";
    QTest::newRow("unterminated") << QByteArray(R"({"a":"abc)") << "!10:unterminated string";
    QTest::newRow("trailing text")
        << QByteArray(R"({"a":1} x)") << "!9:unexpected text after the object";
}
