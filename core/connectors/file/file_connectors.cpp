#include "connectors/file/file_connectors.h"

#include "connectors/file/csv_source.h"
#include "connectors/file/jsonl_source.h"
#include "connectors/file/watched_folder_source.h"
#include "connectors/file/zone_sink.h"
#include "model/node_type_registry.h"

namespace weir::connectors::file {

using model::ConfigField;
using model::FieldKind;

namespace {

ConfigField pathField(const QString &what)
{
    return ConfigField::of(
               QStringLiteral("path"), FieldKind::Path, QStringLiteral("File"),
               QStringLiteral("The %1 file to read; relative to the pipeline file.").arg(what))
        .asRequired();
}

ConfigField batchSizeField()
{
    return ConfigField::of(
               QStringLiteral("batch_size"), FieldKind::Int, QStringLiteral("Batch size"),
               QStringLiteral("Records per batch: each batch is one transaction in the target."))
        .withDefault(10000)
        .withRange(1, 1000000);
}

// The options of a CSV file, shared by the CSV source and the watched folder.
std::vector<ConfigField> csvOptionFields()
{
    return {
        ConfigField::of(QStringLiteral("delimiter"), FieldKind::String, QStringLiteral("Delimiter"),
                        QStringLiteral("Field separator: one character, or \\t for tab."))
            .withDefault(QStringLiteral(",")),
        ConfigField::of(
            QStringLiteral("quote"), FieldKind::String, QStringLiteral("Quote"),
            QStringLiteral("Character that encloses fields holding delimiters or newlines."))
            .withDefault(QStringLiteral("\"")),
        ConfigField::of(QStringLiteral("header"), FieldKind::Bool, QStringLiteral("Header line"),
                        QStringLiteral("The first line names the columns."))
            .withDefault(true),
        ConfigField::of(QStringLiteral("columns"), FieldKind::Columns,
                        QStringLiteral("Column names"),
                        QStringLiteral("Names for the columns: required without a header line, "
                                       "otherwise they replace the header's names.")),
        ConfigField::of(QStringLiteral("empty_as_null"), FieldKind::Bool,
                        QStringLiteral("Empty is null"),
                        QStringLiteral("An empty field is a missing value rather than empty text."))
            .withDefault(true),
    };
}

// One ASCII character that is not a line break, or "\t" for tab when `tabAllowed`.
bool isSingleCharOption(const QString &text, bool tabAllowed)
{
    if (tabAllowed && text == QLatin1String("\\t"))
        return true;
    return text.size() == 1 && text.at(0).unicode() <= 127 && text.at(0) != QLatin1Char('\n') &&
           text.at(0) != QLatin1Char('\r');
}

std::vector<model::FieldProblem> checkCsvConfig(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    const QString delimiter = config.value(QStringLiteral("delimiter")).toString();
    if (!isSingleCharOption(delimiter, true))
        problems.push_back(
            {QStringLiteral("delimiter"),
             QStringLiteral("expected one ASCII character (not a line break), or \\t for tab")});
    const QString quote = config.value(QStringLiteral("quote")).toString();
    if (!isSingleCharOption(quote, false))
        problems.push_back({QStringLiteral("quote"),
                            QStringLiteral("expected one ASCII character (not a line break)")});
    else if (quote == delimiter)
        problems.push_back(
            {QStringLiteral("quote"), QStringLiteral("the quote must differ from the delimiter")});
    if (!config.value(QStringLiteral("header")).toBool() &&
        config.value(QStringLiteral("columns")).toArray().isEmpty())
        problems.push_back({QStringLiteral("columns"),
                            QStringLiteral("without a header line, list the column names")});
    return problems;
}

} // namespace

void registerFileConnectors(model::NodeTypeRegistry &registry)
{
    model::NodeType csv;
    csv.id = QStringLiteral("csv.source");
    csv.displayName = QStringLiteral("CSV file");
    csv.category = model::NodeCategory::Source;
    csv.description = QStringLiteral(
        "Reads an RFC 4180 CSV file (quoted fields, embedded newlines, UTF-8 with or without BOM). "
        "Rows with the wrong number of fields go to the dead-letter queue with their line.");
    csv.outputs = model::recordsOut();
    std::vector<ConfigField> csvFields{pathField(QStringLiteral("CSV"))};
    for (ConfigField &f : csvOptionFields())
        csvFields.push_back(std::move(f));
    csvFields.push_back(batchSizeField());
    csv.schema = model::ConfigSchema(std::move(csvFields));
    csv.checkConfig = checkCsvConfig;
    csv.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<CsvSource>(CsvOptions::fromConfig(config));
    };
    csv.readDeadLetter = [](const model::NodeConfig &config, const model::DeadLetterText &letter) {
        return CsvSource::readDeadLetter(CsvOptions::fromConfig(config), letter);
    };
    registry.registerType(std::move(csv));

    model::NodeType jsonl;
    jsonl.id = QStringLiteral("jsonl.source");
    jsonl.displayName = QStringLiteral("JSON Lines file");
    jsonl.category = model::NodeCategory::Source;
    jsonl.description = QStringLiteral(
        "Reads a JSON Lines file, one object per line. Numbers keep their exact text; a new key "
        "adds a column. Malformed lines go to the dead-letter queue with line and column.");
    jsonl.outputs = model::recordsOut();
    jsonl.schema = {
        pathField(QStringLiteral("JSON Lines")),
        ConfigField::of(QStringLiteral("columns"), FieldKind::Columns, QStringLiteral("Columns"),
                        QStringLiteral("Read only these keys, in this order. Empty: every key, "
                                       "in the order first seen.")),
        batchSizeField(),
    };
    jsonl.makeSource = [](const model::NodeConfig &config) {
        std::vector<std::string> columns;
        for (const QString &c : config.stringList(QStringLiteral("columns")))
            columns.push_back(c.toStdString());
        return std::make_unique<JsonlSource>(
            config.path(QStringLiteral("path")), std::move(columns),
            static_cast<int>(config.integer(QStringLiteral("batch_size"))));
    };
    registry.registerType(std::move(jsonl));

    model::NodeType folder;
    folder.id = QStringLiteral("folder.source");
    folder.displayName = QStringLiteral("Watched folder");
    folder.category = model::NodeCategory::Source;
    folder.description = QStringLiteral(
        "Reads each CSV or JSON Lines file dropped into a folder, in name order, once it is "
        "complete (unchanged for the settle time; temporary names such as .x, x.tmp or x.part "
        "are ignored). Files already read are remembered across restarts.");
    folder.outputs = model::recordsOut();
    std::vector<ConfigField> folderFields{
        ConfigField::of(QStringLiteral("folder"), FieldKind::Path, QStringLiteral("Folder"),
                        QStringLiteral("The folder to watch; relative to the pipeline file."))
            .asRequired(),
        ConfigField::of(QStringLiteral("format"), FieldKind::Enum, QStringLiteral("Format"),
                        QStringLiteral("csv or jsonl (JSON Lines)."))
            .withDefault(QStringLiteral("csv"))
            .withOptions({QStringLiteral("csv"), QStringLiteral("jsonl")}),
        ConfigField::of(QStringLiteral("pattern"), FieldKind::Columns, QStringLiteral("File names"),
                        QStringLiteral("Name patterns to pick up, e.g. [\"*.csv\"]. Empty: *.csv "
                                       "or *.jsonl by format.")),
        ConfigField::of(QStringLiteral("settle_ms"), FieldKind::Int,
                        QStringLiteral("Settle time (ms)"),
                        QStringLiteral("A file is complete once its size and time have not "
                                       "changed for this long."))
            .withDefault(2000)
            .withRange(0, 3600000),
        ConfigField::of(QStringLiteral("poll_ms"), FieldKind::Int,
                        QStringLiteral("Poll interval (ms)"),
                        QStringLiteral("How often the folder is looked at."))
            .withDefault(500)
            .withRange(50, 600000),
    };
    for (ConfigField &f : csvOptionFields())
        folderFields.push_back(std::move(f));
    folderFields.push_back(batchSizeField());
    folder.schema = model::ConfigSchema(std::move(folderFields));
    folder.checkConfig = checkCsvConfig;
    folder.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<WatchedFolderSource>(WatchedFolderOptions::fromConfig(config));
    };
    folder.readDeadLetter = [](const model::NodeConfig &config,
                               const model::DeadLetterText &letter) -> Result<record::Batch> {
        // JSON Lines rows come back as JSON objects; only CSV rows need the CSV reader.
        if (config.string(QStringLiteral("format")) == QLatin1String("jsonl"))
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("line %1: not a JSON object").arg(letter.line));
        return CsvSource::readDeadLetter(CsvOptions::fromConfig(config), letter);
    };
    registry.registerType(std::move(folder));

    model::NodeType zones;
    zones.id = QStringLiteral("zones.sink");
    zones.displayName = QStringLiteral("Zone files");
    zones.category = model::NodeCategory::Sink;
    zones.description = QStringLiteral(
        "Writes records as files into a data-lake zone (raw, staging or curated), partitioned by "
        "date. Files are written then renamed; a manifest records the source positions each one "
        "covers, so a restart neither loses nor duplicates a file.");
    zones.inputs = model::recordsIn();
    zones.schema = {
        ConfigField::of(QStringLiteral("root"), FieldKind::Path, QStringLiteral("Lake folder"),
                        QStringLiteral("Folder holding the zones; relative to the pipeline file."))
            .asRequired(),
        ConfigField::of(QStringLiteral("zone"), FieldKind::Enum, QStringLiteral("Zone"),
                        QStringLiteral("raw: as it arrived; staging: checked and typed; curated: "
                                       "ready for use."))
            .withDefault(QStringLiteral("raw"))
            .withOptions(
                {QStringLiteral("raw"), QStringLiteral("staging"), QStringLiteral("curated")}),
        ConfigField::of(QStringLiteral("dataset"), FieldKind::String, QStringLiteral("Dataset"),
                        QStringLiteral("Folder name of the dataset inside the zone, e.g. orders."))
            .asRequired(),
        ConfigField::of(QStringLiteral("format"), FieldKind::Enum, QStringLiteral("Format"),
                        QStringLiteral("jsonl (JSON Lines) or csv."))
            .withDefault(QStringLiteral("jsonl"))
            .withOptions({QStringLiteral("jsonl"), QStringLiteral("csv")}),
        ConfigField::of(QStringLiteral("partition_by"), FieldKind::String,
                        QStringLiteral("Date column"),
                        QStringLiteral("Timestamp column that picks the date=YYYY-MM-DD folder. "
                                       "Empty: the day the record was read.")),
    };
    zones.makeSink = [](const model::NodeConfig &config) {
        return std::make_unique<ZoneSink>(ZoneOptions::fromConfig(config));
    };
    registry.registerType(std::move(zones));
}

} // namespace weir::connectors::file
