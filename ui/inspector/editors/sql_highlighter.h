#pragma once

// SqlHighlighter: colours SQLite text — keywords, 'strings', "identifiers", numbers and
// comments, block comments and strings across lines included — in colours chosen for a light
// or a dark editor background. GUI thread only (it lives with its QTextDocument).

#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace weir::ui {

class SqlHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit SqlHighlighter(QTextDocument *document);

    // Picks the colour set for the editor's background and highlights again when it changes.
    void setDarkBackground(bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    enum State
    {
        Plain = 0,
        InComment = 1,
        InString = 2,
        InIdentifier = 3,
    };

    int highlightOpen(const QString &text, int from, State state, bool continued);
    void applyColors();

    bool m_dark = false;
    QTextCharFormat m_keyword;
    QTextCharFormat m_string;
    QTextCharFormat m_identifier;
    QTextCharFormat m_number;
    QTextCharFormat m_comment;
};

} // namespace weir::ui
