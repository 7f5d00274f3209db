// Data for TestPipelineValidator (kept apart: Qt 6.4 moc cannot lex raw string literals).

#include <QStringList>
#include <QTest>

const char *validatorBasePipeline();
void addLocatedProblemCases();
void addGarbageCases();
QByteArray portMismatchPipeline();

// Line numbers in the expected problems refer to this text.
const char *validatorBasePipeline()
{
    return R"({
  "format": 1,
  "name": "t",
  "nodes": [
    {"id": "src", "type": "csv.source", "config": {"path": "in.csv"}},
    {"id": "check", "type": "validate", "config": {"required": ["a"]}},
    {"id": "out", "type": "sqlite.sink", "config": {"path": "out.db", "table": "t", "key": ["a"]}}
  ],
  "edges": [
    {"from": "src.out", "to": "check.in"},
    {"from": "check.out", "to": "out.in"}
  ]
}
)";
}

void addLocatedProblemCases()
{
    QTest::addColumn<QString>("find");
    QTest::addColumn<QString>("replace");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("unknown node type")
        << R"("type": "validate")"
        << R"("type": "validat")"
        << QStringList{"t.weir.json:6: node 'check', field 'type': unknown node type 'validat' "
                       "(see weir-run list-node-types)"};
    QTest::newRow("unknown config field")
        << R"({"required": ["a"]})"
        << R"({"required": ["a"], "colour": 1})"
        << QStringList{"t.weir.json:6: node 'check', field 'colour': unknown config field for "
                       "validate"};
    QTest::newRow("missing required field")
        << R"("table": "t", )"
        << "" << QStringList{"t.weir.json:7: node 'out', field 'table': required field is missing"};
    QTest::newRow("ill-typed field")
        << R"("key": ["a"])"
        << R"("key": "a")"
        << QStringList{"t.weir.json:7: node 'out', field 'key': expected a list of column names",
                       "t.weir.json:7: node 'out', field 'key': upsert needs the key columns that "
                       "identify a row"};
    QTest::newRow("enum out of options")
        << R"("table": "t")"
        << R"("table": "t", "mode": "merge")"
        << QStringList{"t.weir.json:7: node 'out', field 'mode': expected one of: upsert, append"};
    QTest::newRow("value out of range")
        << R"({"path": "in.csv"})"
        << R"({"path": "in.csv", "batch_size": 0})"
        << QStringList{"t.weir.json:5: node 'src', field 'batch_size': 0 is below the minimum 1"};
    QTest::newRow("edge to missing node")
        << R"("to": "out.in")"
        << R"("to": "nowhere.in")"
        << QStringList{"t.weir.json:11: field 'edges': check.out -> nowhere.in: no node 'nowhere'"};
    QTest::newRow("edge to missing port")
        << R"("to": "out.in")"
        << R"("to": "out.input")"
        << QStringList{"t.weir.json:11: field 'edges': check.out -> out.input: out "
                       "(sqlite.sink) has no input port 'input' (inputs: in)"};
    QTest::newRow("edge from missing port")
        << R"("from": "src.out")"
        << R"("from": "src.rows")"
        << QStringList{"t.weir.json:10: field 'edges': src.rows -> check.in: src (csv.source) "
                       "has no output port 'rows' (outputs: out)"};
    QTest::newRow("cycle")
        << R"({"from": "check.out", "to": "out.in"})"
        << R"({"from": "check.out", "to": "out.in"}, {"from": "check.out", "to": "check.in"})"
        << QStringList{
               "t.weir.json:6: node 'check': is part of a cycle (edge check.out -> check.in)"};
    QTest::newRow("source without path to a sink")
        << R"(,
    {"from": "check.out", "to": "out.in"})"
        << ""
        << QStringList{
               "t.weir.json:5: node 'src': has no path to a sink: its records would go nowhere",
               "t.weir.json:6: node 'check': has no output: connect it to a sink",
               "t.weir.json:7: node 'out': has no input: connect something to it"};
    QTest::newRow("unresolved env")
        << R"("path": "in.csv")"
        << R"("path": "${env:WEIR_TEST_SURELY_UNSET}/in.csv")"
        << QStringList{"t.weir.json:5: node 'src', field 'path': unresolved "
                       "${env:WEIR_TEST_SURELY_UNSET}: environment variable "
                       "WEIR_TEST_SURELY_UNSET is not set"};
    QTest::newRow("duplicate id")
        << R"("id": "check")"
        << R"("id": "src")"
        << QStringList{"t.weir.json:6: node 'src', field 'id': duplicate node id",
                       "t.weir.json:10: field 'edges': src.out -> check.in: no node 'check'",
                       "t.weir.json:11: field 'edges': check.out -> out.in: no node 'check'"};
    QTest::newRow("unsupported format")
        << R"("format": 1)"
        << R"("format": 2)"
        << QStringList{
               "t.weir.json:2: field 'format': unsupported format 2; this Weir reads format 1"};
    QTest::newRow("missing format")
        << R"("format": 1,)"
        << "" << QStringList{"t.weir.json: field 'format': missing; this Weir writes format 1"};
    QTest::newRow("unknown top-level key")
        << R"("name": "t",)"
        << R"("name": "t", "colour": "red",)"
        << QStringList{"t.weir.json:3: field 'colour': unknown key (expected one of: format, "
                       "name, nodes, edges, settings)"};
    QTest::newRow("invalid json") << R"("name": "t",)"
                                  << R"("name" "t",)"
                                  << QStringList{
                                         "t.weir.json:3:11: invalid JSON: missing name separator"};
    QTest::newRow("several tables into one plain table")
        << R"("csv.source", "config": {"path": "in.csv"}})"
        << R"("postgres.cdc", "config": {"connection": "host=db", "tables": ["a", "b"]}})"
        << QStringList{
               "t.weir.json:7: node 'out', field 'table': receives the rows of 2 tables "
               "(from src): put {table} in the table name (e.g. \"{table}\" or \"raw_{table}\") "
               "so each goes into its own table"};
    QTest::newRow("several tables each into its own")
        << R"("csv.source", "config": {"path": "in.csv"}},
    {"id": "check", "type": "validate", "config": {"required": ["a"]}},
    {"id": "out", "type": "sqlite.sink", "config": {"path": "out.db", "table": "t")"
        << R"("postgres.cdc", "config": {"connection": "host=db", "tables": ["a", "b"]}},
    {"id": "check", "type": "validate", "config": {"required": ["a"]}},
    {"id": "out", "type": "sqlite.sink", "config": {"path": "out.db", "table": "raw_{table}")"
        << QStringList{};
    QTest::newRow("upsert without key from a file")
        << R"("table": "t", "key": ["a"]})"
        << R"("table": "t"})"
        << QStringList{"t.weir.json:7: node 'out', field 'key': upsert needs the key columns "
                       "that identify a row"};
    QTest::newRow("upsert without key behind change data capture")
        << R"("csv.source", "config": {"path": "in.csv"}},
    {"id": "check", "type": "validate", "config": {"required": ["a"]}},
    {"id": "out", "type": "sqlite.sink", "config": {"path": "out.db", "table": "t", "key": ["a"]})"
        << R"("postgres.cdc", "config": {"connection": "host=db", "tables": ["a", "b"]}},
    {"id": "check", "type": "validate", "config": {"required": ["a"]}},
    {"id": "out", "type": "sqlite.sink", "config": {"path": "out.db", "table": "{table}"})"
        << QStringList{};
    QTest::newRow("bad regex")
        << R"({"required": ["a"]})"
        << R"({"patterns": {"a": "(["}})"
        << QStringList{"t.weir.json:6: node 'check', field 'patterns': column 'a': invalid "
                       "regular expression: missing terminating ] for character class"};
    QTest::newRow("bad type name")
        << R"({"required": ["a"]})"
        << R"({"types": {"a": "money"}})"
        << QStringList{"t.weir.json:6: node 'check', field 'types': column 'a': unknown type "
                       "'money' (int, double, decimal, bool, string, timestamp)"};
}

void addGarbageCases()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("nodes not array") << QByteArray(R"({"format":1,"name":"x","nodes":{}})");
    QTest::newRow("node not object")
        << QByteArray(R"({"format":1,"name":"x","nodes":[1,"a",null]})");
    QTest::newRow("edge garbage") << QByteArray(
        R"({"format":1,"name":"x","nodes":[],"edges":[1,{"from":2}]})");
    QTest::newRow("config array") << QByteArray(
        R"({"format":1,"name":"x","nodes":[{"id":"a","type":"csv.source","config":[]}]})");
    QTest::newRow("position wrong") << QByteArray(
        R"({"format":1,"name":"x","nodes":[{"id":"a","type":"csv.source","position":"here"}]})");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4);
}

QByteArray portMismatchPipeline()
{
    return R"({"format": 1, "name": "m",
 "nodes": [{"id": "a", "type": "folder.list"}, {"id": "b", "type": "rows.sink"}],
 "edges": [{"from": "a.out", "to": "b.in"}]})";
}
