#pragma once

// How the designer's forms and panels tell things apart beyond what the style draws: muted
// help text, error red, small print — picked from the palette so light and dark themes both
// read well. Also guards the wheel on editors inside scroll areas. GUI thread only.

#include <QColor>
#include <QFont>
#include <QPalette>

class QWidget;

namespace weir::ui {

bool isDarkPalette(const QPalette &palette);
// Red that stays readable on the palette's window and base colours.
QColor errorColor(const QPalette &palette);
// Secondary text: help lines, ids, empty states.
QColor mutedColor(const QPalette &palette);
// The widget's font, one step smaller (help lines and messages under fields).
QFont smallFont(const QFont &font);
// A wheel over an unfocused spin box, combo box or table scrolls the form instead of changing
// the value (or scrolling the table) the pointer happens to pass over.
void ignoreWheelUnlessFocused(QWidget *widget);

} // namespace weir::ui
