// Dead-letter browser on a real run of the orders example: 12 entries (6 malformed CSV rows,
// 6 records the validate node refused); filters by node, error text and age; the record
// pretty-printed; edit and retry lands a fixed record in orders.db; an unfixed retry fails
// again; retry all takes exactly what the filters show; invalid JSON is refused; discard
// asks first; refresh keeps the selection. Screenshots go to <build>/tests/screenshots.

#include "common/sqlite_db.h"
#include "engine/engine.h"
#include "model/node_type_registry.h"
#include "model/pipeline_validator.h"
#include "monitor/dead_letter_browser.h"
#include "monitor/dead_letter_model.h"
#include "monitor/payload_text.h"
#include "support/test_support.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace weir;
using namespace weir::ui;
using weir::test::queryInt;
using weir::test::queryText;

class TestDeadLetterBrowser : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<state::StateStore> m_store;
    std::unique_ptr<DeadLetterBrowser> m_browser;

    QString statePath() const { return m_dir.filePath(QStringLiteral("state/state.db")); }
    QString ordersDb() const { return m_dir.filePath(QStringLiteral("orders.db")); }
    const DeadLetterModel *model() const { return m_browser->model(); }

    template<typename T> T *child(const char *name) const
    {
        auto *widget = m_browser->findChild<T *>(QLatin1String(name));
        if (!widget)
            qFatal("no child widget %s", name);
        return widget;
    }

    // The id of the entry whose payload holds this order id (as the JSON or CSV text has it).
    qint64 idOfOrder(const QString &orderId) const
    {
        for (int row = 0; row < model()->rowCount(); ++row) {
            const state::DeadLetterEntry &e = model()->entry(row);
            if (e.payload.startsWith(orderId + QLatin1Char(',')) ||
                e.payload.contains(QLatin1String("\"order_id\":\"") + orderId + QLatin1Char('"')))
                return e.id;
        }
        return -1;
    }

    void setFilters(const QString &node, const QString &error, int timeIndex)
    {
        auto *nodes = child<QComboBox>("nodeFilter");
        nodes->setCurrentIndex(nodes->findData(node));
        auto *search = child<QLineEdit>("errorFilter");
        search->setText(error);
        QTest::keyClick(search, Qt::Key_Return); // applies at once, without the debounce
        child<QComboBox>("timeFilter")->setCurrentIndex(timeIndex);
    }

    QString detailText() const { return child<QPlainTextEdit>("payload")->toPlainText(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *name : {"orders.weir.json", "orders_sample.csv"})
            QVERIFY(QFile::copy(weir::test::examplePath(QLatin1String(name)),
                                m_dir.filePath(QLatin1String(name))));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("state"))));
        auto store = state::StateStore::open(statePath());
        QVERIFY(store);
        m_store = std::move(store.value());

        const QString file = m_dir.filePath(QStringLiteral("orders.weir.json"));
        auto checked = model::loadValidPipeline(file, model::NodeTypeRegistry::builtin());
        QVERIFY(checked.pipeline);
        QStringList nodeIds;
        for (const model::NodeSpec &node : checked.pipeline->nodes)
            nodeIds << node.id;
        QCOMPARE(nodeIds.size(), 4);
        engine::EngineOptions options;
        options.once = true;
        engine::Engine run(std::move(*checked.pipeline), file, m_store.get(),
                           model::NodeTypeRegistry::builtin(), options);
        QSignalSpy finished(&run, &engine::Engine::runFinished);
        run.start();
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().at(0).value<engine::RunOutcome>();
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(outcome.totals.deadLetters, 12);
        QCOMPARE(queryInt(ordersDb(), QStringLiteral("SELECT count(*) FROM orders")), 182);

        // Age the CSV rows so the time filter has something to tell apart: all six failed two
        // hours ago, the rows of lines 86 and 128 two days ago.
        auto db = common::SqliteDb::open(statePath());
        QVERIFY(db);
        QVERIFY(db->exec("UPDATE dead_letters SET created_ms = created_ms - 7200000 "
                         "WHERE node = 'orders_csv'; "
                         "UPDATE dead_letters SET created_ms = created_ms - 172800000 "
                         "WHERE node = 'orders_csv' AND line IN (86, 128)"));

        m_browser = std::make_unique<DeadLetterBrowser>(model::NodeTypeRegistry::builtin());
        m_browser->setStore(m_store.get());
        m_browser->setPipeline(QStringLiteral("orders"), nodeIds);
        m_browser->resize(1080, 460);
        m_browser->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_browser.get()));
    }

    void cleanupTestCase()
    {
        m_browser.reset(); // joins the worker before the store goes
        m_store.reset();
    }

    void listsEveryDeadLetter()
    {
        QCOMPARE(model()->rowCount(), 12);
        QCOMPARE(model()->totalCount(), 12);
        QCOMPARE(m_browser->countText(), QStringLiteral("12 dead letters"));
        QCOMPARE(child<QStackedWidget>("tableStack")->currentWidget(),
                 static_cast<QWidget *>(m_browser->table()));
        QCOMPARE(model()->headerData(DeadLetterModel::SourceColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Source"));
        // The node filter offers every node of the pipeline.
        auto *nodes = child<QComboBox>("nodeFilter");
        QCOMPARE(nodes->count(), 5);
        QCOMPARE(nodes->itemText(1), QStringLiteral("orders_csv"));
        QCOMPARE(nodes->itemText(4), QStringLiteral("orders_db"));
        const int row = model()->rowOfId(idOfOrder(QStringLiteral("1065")));
        QVERIFY(row >= 0);
        QCOMPARE(model()->data(model()->index(row, DeadLetterModel::SourceColumn)).toString(),
                 QStringLiteral("orders_sample.csv:34"));
        QCOMPARE(model()->data(model()->index(row, DeadLetterModel::NodeColumn)).toString(),
                 QStringLiteral("check"));
        QCOMPARE(model()->data(model()->index(row, DeadLetterModel::AttemptsColumn)).toInt(), 1);
        // Newest first, and the view sorts by id descending too.
        const QAbstractItemModel *view = m_browser->table()->model();
        QVERIFY(view->index(0, 0).data().toLongLong() > view->index(11, 0).data().toLongLong());
    }

    void filters_data()
    {
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("time"); // 0 any time, 1 last hour, 2 last 24 hours
        QTest::addColumn<int>("shown");
        QTest::newRow("everything") << ""
                                    << "" << 0 << 12;
        QTest::newRow("csv rows") << "orders_csv"
                                  << "" << 0 << 6;
        QTest::newRow("validation") << "check"
                                    << "" << 0 << 6;
        QTest::newRow("sink") << "orders_db"
                              << "" << 0 << 0;
        QTest::newRow("bad timestamps") << ""
                                        << "ISO-8601" << 0 << 3;
        QTest::newRow("any case") << ""
                                  << "iso-8601" << 0 << 3;
        QTest::newRow("amount") << ""
                                << "amount" << 0 << 2;
        QTest::newRow("csv lines 1xx") << "orders_csv"
                                       << "line 1" << 0 << 5;
        QTest::newRow("wrong node") << "check"
                                    << "expected 5 fields" << 0 << 0;
        QTest::newRow("last hour") << ""
                                   << "" << 1 << 6;
        QTest::newRow("last 24 hours") << ""
                                       << "" << 2 << 10;
        QTest::newRow("csv, last 24 hours") << "orders_csv"
                                            << "" << 2 << 4;
    }

    void filters()
    {
        QFETCH(QString, node);
        QFETCH(QString, error);
        QFETCH(int, time);
        QFETCH(int, shown);
        setFilters(node, error, time);
        QCOMPARE(model()->rowCount(), shown);
        QCOMPARE(m_browser->table()->model()->rowCount(), shown);
        for (int row = 0; row < model()->rowCount(); ++row) {
            const state::DeadLetterEntry &e = model()->entry(row);
            if (!node.isEmpty())
                QCOMPARE(e.node, node);
            QVERIFY(e.error.contains(error, Qt::CaseInsensitive));
        }
        QCOMPARE(m_browser->countText(),
                 shown == 12 ? QStringLiteral("12 dead letters")
                             : QStringLiteral("12 dead letters, %1 shown").arg(shown));
        auto *stack = child<QStackedWidget>("tableStack");
        if (shown == 0) {
            QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("emptyState"));
            QCOMPARE(child<QLabel>("emptyState")->text(),
                     QStringLiteral("None of the 12 dead letters matches these filters."));
            QVERIFY(!child<QPushButton>("retryAll")->isEnabled());
        } else {
            QCOMPARE(stack->currentWidget(), static_cast<QWidget *>(m_browser->table()));
            QVERIFY(child<QPushButton>("retryAll")->isEnabled());
        }
    }

    void showsTheRecordPrettyPrinted()
    {
        setFilters(QString(), QString(), 0);
        QCOMPARE(model()->rowCount(), 12);
        QVERIFY(!child<QPushButton>("retrySelected")->isEnabled());
        const qint64 id = idOfOrder(QStringLiteral("1065"));
        m_browser->selectIds({id});
        QCOMPARE(m_browser->selectedIds(), QList<qint64>{id});
        const QString expected = QStringLiteral("{\n"
                                                "  \"order_id\": \"1065\",\n"
                                                "  \"customer_id\": \"32968\",\n"
                                                "  \"amount\": \"1.2.3\",\n"
                                                "  \"status\": \"pending\",\n"
                                                "  \"updated_at\": \"2024-01-01T00:00:03.208Z\"\n"
                                                "}");
        QCOMPARE(detailText(), expected);
        auto *payload = child<QPlainTextEdit>("payload");
        QVERIFY(payload->isReadOnly());
        QVERIFY(QFontInfo(payload->font()).fixedPitch());
        QCOMPARE(child<QLabel>("detailError")->text(),
                 QStringLiteral("amount: '1.2.3' is not a decimal number"));
        const QString header = child<QLabel>("detailHeader")->text();
        QVERIFY2(header.contains(QLatin1String("orders_sample.csv:34")), qPrintable(header));
        QVERIFY2(header.contains(QLatin1String("1 attempt")), qPrintable(header));
        QVERIFY(child<QPushButton>("retrySelected")->isEnabled());
        QVERIFY(child<QPushButton>("editAndRetry")->isEnabled());

        // A malformed CSV row is shown as it was read.
        const qint64 row = idOfOrder(QStringLiteral("1167"));
        m_browser->selectIds({row});
        QCOMPARE(detailText(), QStringLiteral("1167,114310,682.46,pending"));
        QCOMPARE(child<QLabel>("detailError")->text(),
                 QStringLiteral("line 86: expected 5 fields, found 4"));

        // Two selected: edit needs exactly one.
        m_browser->selectIds({id, row});
        QCOMPARE(m_browser->selectedIds().size(), 2);
        QVERIFY(!child<QPushButton>("editAndRetry")->isEnabled());
        QCOMPARE(child<QPushButton>("retrySelected")->text(), QStringLiteral("Retry 2 selected"));
    }

    void refusesInvalidJson()
    {
        const qint64 id = idOfOrder(QStringLiteral("1193"));
        m_browser->selectIds({id});
        QSignalSpy started(m_browser.get(), &DeadLetterBrowser::retryStarted);
        QSignalSpy refused(m_browser.get(), &DeadLetterBrowser::editRefused);
        child<QPushButton>("editAndRetry")->click();
        QVERIFY(m_browser->isEditing());
        auto *payload = child<QPlainTextEdit>("payload");
        QVERIFY(!payload->isReadOnly());
        QVERIFY(!m_browser->table()->isEnabled());
        QVERIFY(!child<QPushButton>("discard")->isEnabled());
        // The comma after the first field is gone.
        QString text = payload->toPlainText();
        text.replace(QLatin1String("\"1193\","), QLatin1String("\"1193\""));
        payload->setPlainText(text);
        child<QPushButton>("retryEdited")->click();
        QCOMPARE(refused.size(), 1);
        QCOMPARE(started.size(), 0);
        QVERIFY(!m_browser->isBusy());
        const QString message = refused.first().at(0).toString();
        // Qt notices the missing comma at the next key, and says where that is.
        QCOMPARE(message, QStringLiteral("Not retried — not valid JSON at line 3, column 3: "
                                         "expected a comma or the closing }"));
        QCOMPARE(child<QLabel>("editMessage")->text(), message);
        const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
        QDir().mkpath(out.path());
        QCoreApplication::processEvents(); // the layout makes room for the message
        QVERIFY(m_browser->grab().save(
            out.filePath(QStringLiteral("dead_letter_browser_invalid_edit.png"))));
        QVERIFY(m_browser->isEditing());
        // A valid JSON value that is not an object is refused as well.
        payload->setPlainText(QStringLiteral("[1, 2]"));
        child<QPushButton>("retryEdited")->click();
        QCOMPARE(refused.size(), 2);
        QVERIFY(refused.last().at(0).toString().contains(QLatin1String("one JSON object")));
        QCOMPARE(started.size(), 0);
        // Cancel: the stored record comes back, untouched.
        child<QPushButton>("cancelEdit")->click();
        QVERIFY(!m_browser->isEditing());
        QVERIFY(payload->isReadOnly());
        QVERIFY(detailText().contains(QLatin1String("\"order_id\": \"1193\",")));
        QCOMPARE(
            queryInt(statePath(),
                     QStringLiteral("SELECT attempts FROM dead_letters WHERE id = %1").arg(id)),
            1);
        QCOMPARE(model()->rowCount(), 12);
    }

    void editAndRetryLandsTheFixedRecord()
    {
        const qint64 id = idOfOrder(QStringLiteral("1065"));
        m_browser->selectIds({id});
        child<QPushButton>("editAndRetry")->click();
        auto *payload = child<QPlainTextEdit>("payload");
        QString text = payload->toPlainText();
        QVERIFY(text.contains(QLatin1String("\"1.2.3\"")));
        text.replace(QLatin1String("\"1.2.3\""), QLatin1String("\"1.23\""));
        payload->setPlainText(text);
        QSignalSpy started(m_browser.get(), &DeadLetterBrowser::retryStarted);
        QSignalSpy finished(m_browser.get(), &DeadLetterBrowser::retryFinished);
        child<QPushButton>("retryEdited")->click();
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().at(0).toInt(), 1);
        // Until the worker reports back, nothing else can start.
        QVERIFY(m_browser->isBusy());
        QCOMPARE(m_browser->statusText(), QStringLiteral("Retrying 1…"));
        QVERIFY(!child<QPushButton>("retryAll")->isEnabled());
        QVERIFY(!child<QPushButton>("retryEdited")->isEnabled());
        QVERIFY(finished.wait(60000));
        const auto report = finished.first().at(0).value<engine::RetryReport>();
        QCOMPARE(report.retried, 1);
        QCOMPARE(report.landed, 1);
        QCOMPARE(report.failedAgain, 0);
        QVERIFY(report.problems.isEmpty());
        QCOMPARE(m_browser->statusText(), QStringLiteral("Retried 1: 1 landed, 0 failed again."));
        QVERIFY(!m_browser->isBusy());
        QVERIFY(!m_browser->isEditing());

        QCOMPARE(queryText(ordersDb(),
                           QStringLiteral("SELECT amount FROM orders WHERE order_id = 1065")),
                 QStringLiteral("1.23"));
        QCOMPARE(queryInt(ordersDb(), QStringLiteral("SELECT count(*) FROM orders")), 183);
        QCOMPARE(model()->rowOfId(id), -1);
        QVERIFY(!m_store->deadLetter(id));
        QCOMPARE(model()->rowCount(), 11);
        QCOMPARE(m_browser->countText(), QStringLiteral("11 dead letters"));
        QVERIFY(m_browser->selectedIds().isEmpty());
    }

    void retrySelectedUnfixedFailsAgain()
    {
        const qint64 id = idOfOrder(QStringLiteral("1038a"));
        QVERIFY(id > 0);
        m_browser->selectIds({id});
        QSignalSpy finished(m_browser.get(), &DeadLetterBrowser::retryFinished);
        child<QPushButton>("retrySelected")->click();
        QVERIFY(m_browser->isBusy());
        QVERIFY(!child<QPushButton>("retrySelected")->isEnabled());
        QVERIFY(!child<QPushButton>("discard")->isEnabled());
        QVERIFY(finished.wait(60000));
        const auto report = finished.first().at(0).value<engine::RetryReport>();
        QCOMPARE(report.retried, 1);
        QCOMPARE(report.landed, 0);
        QCOMPARE(report.failedAgain, 1);
        QCOMPARE(m_browser->statusText(), QStringLiteral("Retried 1: 0 landed, 1 failed again."));
        QCOMPARE(
            queryInt(statePath(),
                     QStringLiteral("SELECT attempts FROM dead_letters WHERE id = %1").arg(id)),
            2);
        const int row = model()->rowOfId(id);
        QVERIFY(row >= 0);
        QCOMPARE(model()->entry(row).attempts, 2);
        QCOMPARE(model()->rowCount(), 11);
        // The entry stayed, and so did the selection and the detail pane.
        QCOMPARE(m_browser->selectedIds(), QList<qint64>{id});
        QVERIFY(child<QLabel>("detailHeader")->text().contains(QLatin1String("2 attempts")));
        QCOMPARE(queryInt(ordersDb(), QStringLiteral("SELECT count(*) FROM orders")), 183);
    }

    void retryAllRetriesWhatTheFiltersShow()
    {
        setFilters(QStringLiteral("check"), QStringLiteral("ISO-8601"), 0);
        QCOMPARE(model()->rowCount(), 3);
        QSignalSpy started(m_browser.get(), &DeadLetterBrowser::retryStarted);
        QSignalSpy finished(m_browser.get(), &DeadLetterBrowser::retryFinished);
        child<QPushButton>("retryAll")->click();
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().at(0).toInt(), 3);
        QCOMPARE(m_browser->statusText(), QStringLiteral("Retrying 3…"));
        QVERIFY(finished.wait(60000));
        const auto report = finished.first().at(0).value<engine::RetryReport>();
        QCOMPARE(report.retried, 3);
        QCOMPARE(report.failedAgain, 3);
        QCOMPARE(m_browser->statusText(), QStringLiteral("Retried 3: 0 landed, 3 failed again."));
        // Exactly the three shown were tried again: the 1038a record keeps its two attempts
        // from before, the rest still have one.
        QCOMPARE(queryInt(statePath(), QStringLiteral("SELECT count(*) FROM dead_letters "
                                                      "WHERE attempts = 2")),
                 4);
        QCOMPARE(queryInt(statePath(), QStringLiteral("SELECT count(*) FROM dead_letters "
                                                      "WHERE attempts = 2 AND error LIKE "
                                                      "'updated_at:%'")),
                 3);
        QCOMPARE(queryInt(statePath(), QStringLiteral("SELECT count(*) FROM dead_letters")), 11);
        setFilters(QString(), QString(), 0);
        QCOMPARE(model()->rowCount(), 11);
    }

    void discardAsksFirst()
    {
        const qint64 first = idOfOrder(QStringLiteral("1167"));
        const qint64 second = idOfOrder(QStringLiteral("1264"));
        QVERIFY(first > 0 && second > 0);
        QList<qint64> keep;
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->entry(row).id != first && model()->entry(row).id != second)
                keep << model()->entry(row).id;
        }
        QCOMPARE(keep.size(), 9);
        QStringList questions;
        bool answer = false;
        m_browser->setConfirm([&](const QString &question) {
            questions << question;
            return answer;
        });
        QSignalSpy discarded(m_browser.get(), &DeadLetterBrowser::discardFinished);

        m_browser->selectIds({first, second});
        child<QPushButton>("discard")->click();
        QCOMPARE(questions.size(), 1);
        QVERIFY2(questions.first().startsWith(QLatin1String("Discard 2 dead letters")),
                 qPrintable(questions.first()));
        QVERIFY(!m_browser->isBusy());
        QCOMPARE(m_browser->statusText(), QStringLiteral("Nothing discarded."));
        QCOMPARE(queryInt(statePath(), QStringLiteral("SELECT count(*) FROM dead_letters")), 11);
        QCOMPARE(model()->rowCount(), 11);

        answer = true;
        child<QPushButton>("discard")->click();
        QCOMPARE(questions.size(), 2);
        QVERIFY(discarded.wait(10000));
        QCOMPARE(discarded.first().at(0).toLongLong(), 2);
        QCOMPARE(m_browser->statusText(), QStringLiteral("Discarded 2 dead letters."));
        QCOMPARE(model()->rowCount(), 9);
        QCOMPARE(m_browser->countText(), QStringLiteral("9 dead letters"));
        QList<qint64> left;
        for (int row = 0; row < model()->rowCount(); ++row)
            left << model()->entry(row).id;
        QCOMPARE(left, keep);
        QCOMPARE(queryInt(statePath(), QStringLiteral("SELECT count(*) FROM dead_letters WHERE "
                                                      "id IN (%1, %2)")
                                           .arg(first)
                                           .arg(second)),
                 0);
    }

    void refreshPicksUpNewEntriesAndKeepsTheSelection()
    {
        const qint64 id = idOfOrder(QStringLiteral("1193"));
        m_browser->selectIds({id});
        QSignalSpy reset(model(), &QAbstractItemModel::modelReset);
        QSignalSpy inserted(model(), &QAbstractItemModel::rowsInserted);
        m_browser->refresh(); // nothing changed: nothing moves
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(model()->rowCount(), 9);

        // A run goes on and refuses one more record.
        const engine::NodeContext context{QStringLiteral("orders"), QStringLiteral("check"), 1,
                                          nullptr, nullptr};
        QVERIFY(m_store->write(
            context, {engine::DeadLetter{"late.csv", 10, 2, QStringLiteral("status: 'lost'"),
                                         QStringLiteral("{\"order_id\":\"7\"}")}}));
        m_browser->refresh();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model()->rowCount(), 10);
        QCOMPARE(m_browser->countText(), QStringLiteral("10 dead letters"));
        QCOMPARE(m_browser->selectedIds(), QList<qint64>{id});
        QVERIFY(detailText().contains(QLatin1String("\"1193\"")));
    }

    void screenshot()
    {
        m_browser->selectIds({idOfOrder(QStringLiteral("1193"))});
        const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
        QDir().mkpath(out.path());
        QVERIFY(m_browser->grab().save(out.filePath(QStringLiteral("dead_letter_browser.png"))));
    }

    void payloadText_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::addColumn<QString>("pretty");
        QTest::addColumn<QString>("problem");
        // Keys keep their order and numbers their spelling; strings are left alone.
        QTest::newRow("object") << "{\"b\":1.50,\"a\":[1,{}],\"s\":\"x, y: {z} \\\"q\\\"\"}"
                                << "{\n  \"b\": 1.50,\n  \"a\": [\n    1,\n    {}\n  ],\n"
                                   "  \"s\": \"x, y: {z} \\\"q\\\"\"\n}"
                                << "";
        QTest::newRow("csv row") << "1167,114310,682.46,pending"
                                 << "1167,114310,682.46,pending"
                                 << "line 1, column 1: not a JSON value (text needs double quotes)";
        QTest::newRow("broken") << "{\"a\": 1,\n \"b\" 2}"
                                << "{\"a\": 1,\n \"b\" 2}"
                                << "line 2, column 6: expected a colon after the key";
        QTest::newRow("array") << "[1]"
                               << "[\n  1\n]"
                               << "a record must be one JSON object, { … }";
    }

    void payloadText()
    {
        QFETCH(QString, payload);
        QFETCH(QString, pretty);
        QFETCH(QString, problem);
        QCOMPARE(prettyPayload(payload), pretty);
        QCOMPARE(jsonObjectProblem(payload), problem);
        if (problem.isEmpty())
            QCOMPARE(compactJson(prettyPayload(payload)), payload);
    }

    void emptyStoreSaysSo()
    {
        QTemporaryDir dir;
        auto store = state::StateStore::open(dir.filePath(QStringLiteral("empty.db")));
        QVERIFY(store);
        DeadLetterBrowser browser(model::NodeTypeRegistry::builtin());
        browser.setStore(store->get());
        browser.setPipeline(QStringLiteral("orders"), {QStringLiteral("orders_csv")});
        browser.resize(900, 300);
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QCOMPARE(browser.model()->rowCount(), 0);
        QCOMPARE(browser.countText(), QStringLiteral("No dead letters"));
        auto *empty = browser.findChild<QLabel *>(QStringLiteral("emptyState"));
        QVERIFY(empty && empty->isVisible());
        QCOMPARE(empty->text(), QStringLiteral("No dead letters — everything that was read got "
                                               "through or was filtered."));
        QVERIFY(!browser.findChild<QPushButton *>(QStringLiteral("retryAll"))->isEnabled());
        const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
        QVERIFY(browser.grab().save(out.filePath(QStringLiteral("dead_letter_browser_empty.png"))));
    }
};

QTEST_MAIN(TestDeadLetterBrowser)
#include "tst_dead_letter_browser.moc"
